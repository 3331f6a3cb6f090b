package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A client's request header the JDK server takes but the JDK client refuses to send (a control character in its
 * value: {@code HttpRequest.Builder.header} throws IllegalArgumentException, its message holding the value) is bad
 * input: it must be answered (a 400), not end the connection with no answer and nothing logged.
 */
class UpstreamProxyRequestHeaderTest {

    @Test
    void aHeaderTheJdkClientRefusesIsAnsweredNotDropped() throws Exception {
        List<String> answer = ask("X-Note: a\u0001b");
        assertNotNull(answer.getFirst(), "no answer: the connection ended first");
        assertEquals(400, Integer.parseInt(answer.getFirst().split(" ")[1]), answer.getFirst());
    }

    /** The refused value is an Authorization's (the client's key, passed on): named in the answer, never shown. */
    @Test
    void aRefusedAuthorizationIsNamedNeverShown() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        root.addAppender(lines);
        List<String> answer;
        try {
            answer = ask("Authorization: Bearer sk-let-secret\u0001x");
        } finally {
            root.detachAppender(lines);
        }
        assertNotNull(answer.getFirst(), "no answer: the connection ended first");
        assertEquals(400, Integer.parseInt(answer.getFirst().split(" ")[1]), answer.getFirst());
        String whole = String.join("\n", answer);
        assertTrue(whole.contains("Authorization"), whole);
        assertFalse(whole.contains("sk-let-secret"), whole);
        List<ILoggingEvent> warned = lines.list.stream()
                .filter(e -> e.getLoggerName().equals(UpstreamProxy.class.getName()))
                .toList();
        assertEquals(1, warned.size(), warned.toString());
        assertTrue(warned.getFirst().getFormattedMessage().contains("Authorization"), warned.toString());
        for (ILoggingEvent line : lines.list) {
            assertFalse(line.getFormattedMessage().contains("sk-let-secret"), line.getFormattedMessage());
            for (IThrowableProxy t = line.getThrowableProxy(); t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains("sk-let-secret"), t.getMessage());
            }
        }
    }

    /** The status line, headers and body of the answer to a GET with {@code header}; the status line null if none. */
    private static List<String> ask(String header) throws IOException {
        HttpServer upstream = Upstreams.emptyOk();
        HttpServer proxy = Upstreams.proxyTo(upstream, Duration.ofSeconds(10));
        try (Socket socket = RawHttp.connect(proxy, 10_000)) {
            socket.getOutputStream()
                    .write(("GET /v1/agents HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header + "\r\n\r\n")
                            .getBytes(ISO_8859_1));
            RawHttp.Answer answer = RawHttp.read(socket.getInputStream());
            List<String> lines = new ArrayList<>();
            lines.add(answer.statusLine());
            lines.addAll(answer.headers());
            lines.add(answer.body());
            return lines;
        } finally {
            proxy.stop(0);
            upstream.stop(0);
        }
    }
}
