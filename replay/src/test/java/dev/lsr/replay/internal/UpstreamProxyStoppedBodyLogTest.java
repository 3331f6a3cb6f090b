package dev.lsr.replay.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * docs/replay-server.md: "a client that stops sending its body mid-way is answered 408 ... with Connection: close,
 * WARN `METHOD PATH: the client sent nothing of its request body for 300 s while it was passed to the upstream; ...`
 * (not an upstream outage)". Raced, before, with the JDK client's own request timer (the same upstream timeout,
 * started at {@code send}), whose timeout is logged as an outage.
 */
class UpstreamProxyStoppedBodyLogTest {

    @Test
    void aStoppedBodyIsLoggedAsTheClientsNotAsAnOutage() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(UpstreamProxy.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try (Upstreams.Silent upstream = Upstreams.silent(Duration.ZERO)) {
            HttpServer proxy = Upstreams.proxyTo(upstream.port(), Duration.ofSeconds(1));
            try (Socket socket = RawHttp.connect(proxy, 10_000)) {
                RawHttp.stoppedPost(socket, 100_000, 10); // then nothing
                long start = System.nanoTime();
                long startMillis = System.currentTimeMillis();
                String status = Objects.requireNonNullElse(RawHttp.line(socket.getInputStream()), "");
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(status.startsWith("HTTP/1.1 408"), status);
                List<String> warned = lines.list.stream()
                        .map(e -> "+" + (e.getTimeStamp() - startMillis) + " ms " + e.getLevel() + " "
                                + e.getFormattedMessage())
                        .toList();
                assertTrue(
                        warned.stream().anyMatch(l -> l.contains("the client sent nothing of its request body"))
                                && warned.stream().noneMatch(l -> l.contains("does not answer")),
                        "a body the client stopped sending (408 after " + millis + " ms, upstream timeout 1 s)"
                                + " is logged as: " + warned);
            } finally {
                proxy.stop(0);
            }
        } finally {
            logger.detachAppender(lines);
        }
    }
}
