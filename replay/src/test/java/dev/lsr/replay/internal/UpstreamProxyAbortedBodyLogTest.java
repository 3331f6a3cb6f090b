package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A client that hangs up mid-body (sends 10 of 100000 bytes, then its FIN) is the client's doing, as a client that
 * stops sending it is: answered 400 with {@code Connection: close} and logged with the stopped bodies' line (one WARN
 * a minute for both), never as an upstream outage. The relay's failed read of the body used to fail the JDK client's
 * send with an IOException, and the proxy answered 502 and logged WARN "the upstream Letta server does not answer"
 * (then INFO "answers again" at the next request): an upstream outage that never was, and the operator's alert.
 */
class UpstreamProxyAbortedBodyLogTest {

    @Test
    void aBodyTheClientAbortsIsNotLoggedAsAnUpstreamOutage() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        Logger logger = (Logger) LoggerFactory.getLogger(UpstreamProxy.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual()
                    .start(
                            () -> { // reads every request, answers none
                                try {
                                    while (true) {
                                        Socket s = upstream.accept();
                                        held.add(s);
                                        Thread.ofVirtual().start(() -> {
                                            try {
                                                s.getInputStream().transferTo(OutputStream.nullOutputStream());
                                            } catch (IOException e) {
                                                // closed
                                            }
                                        });
                                    }
                                } catch (IOException e) {
                                    // closed
                                }
                            });
            HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            proxy.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            proxy.createContext(
                    "/",
                    new UpstreamProxy(
                            URI.create("http://127.0.0.1:" + upstream.getLocalPort()),
                            false,
                            null,
                            Duration.ofSeconds(1),
                            Duration.ofSeconds(10)));
            proxy.start();
            try (Socket socket = new Socket()) {
                socket.setSoTimeout(10_000);
                socket.connect(new InetSocketAddress(
                        InetAddress.getLoopbackAddress(), proxy.getAddress().getPort()));
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/agents/agent-1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
                        .getBytes(ISO_8859_1));
                out.write(new byte[10]);
                out.flush();
                socket.shutdownOutput(); // hangs up its side mid-body: the JDK server reads the body's end early
                long start = System.nanoTime();
                long startMillis = System.currentTimeMillis();
                String status = statusLine(socket.getInputStream());
                long millis = (System.nanoTime() - start) / 1_000_000;
                List<String> warned = lines.list.stream()
                        .map(e -> "+" + (e.getTimeStamp() - startMillis) + " ms " + e.getLevel() + " "
                                + e.getFormattedMessage())
                        .toList();
                assertTrue(
                        warned.stream().noneMatch(l -> l.contains("does not answer")),
                        "a body the client hung up on (answered " + status + " after " + millis + " ms) is logged"
                                + " as: " + warned);
                assertEquals("HTTP/1.1 400 Bad Request", status, "answered after " + millis + " ms: " + warned);
                assertEquals(1, warned.size(), warned.toString());
                assertTrue(
                        warned.getFirst()
                                .contains("WARN POST /v1/agents/agent-1/messages: the client hung up before the end of"
                                        + " its request body while it was passed to the upstream; answered 400 and its"
                                        + " connection closed (1 such request(s)"),
                        warned.toString());
            } finally {
                proxy.stop(0);
            }
        } finally {
            logger.detachAppender(lines);
            for (Socket s : held) {
                s.close();
            }
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString().strip();
    }
}
