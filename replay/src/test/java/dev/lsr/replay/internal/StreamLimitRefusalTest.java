package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A stream request refused by the bound on open streams is answered before its body is read. On a keep-alive
 * connection the body's bytes would then be where the server reads the next request: a body that holds a request
 * (a send's JSON could) must not be served as one, nor the client's real next request be parsed out of the body. The
 * refusal says {@code Connection: close} ({@link dev.lsr.kernel.http.Refusals}), so the connection ends after it.
 */
class StreamLimitRefusalTest {

    private static final String SMUGGLED = "GET /v1/smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    @ParameterizedTest(name = "a body of {0} bytes")
    @ValueSource(ints = {1_000, 48 * 1024, 1024 * 1024})
    void aRefusedSendsBodyIsNeverReadAsTheNextRequest(int bodyBytes) throws Exception {
        StreamLimit limit = new StreamLimit(1, InstantSource.system(), Duration.ofSeconds(5));
        List<String> served = new CopyOnWriteArrayList<>();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/", exchange -> {
                    try (exchange) {
                        served.add(exchange.getRequestMethod() + " "
                                + exchange.getRequestURI().getPath());
                        if (exchange.getRequestURI().getPath().equals("/v1/runs/held/stream")) {
                            holding.countDown();
                            release.await(30, TimeUnit.SECONDS); // holds the one slot
                        }
                        exchange.sendResponseHeaders(200, -1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })
                .getFilters()
                .add(limit.filter(new StreamRoutes()));
        server.start();
        int port = server.getAddress().getPort();
        Thread held = Thread.ofVirtual().start(() -> {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.getOutputStream()
                        .write("POST /v1/runs/held/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(ISO_8859_1));
                socket.getInputStream().read();
            } catch (IOException e) {
                // the test ended
            }
        });
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertTrue(holding.await(10, TimeUnit.SECONDS), "the first stream holds the slot");
            byte[] body = SMUGGLED.repeat(bodyBytes / SMUGGLED.length() + 1).getBytes(ISO_8859_1);
            String head = "POST /v1/agents/agent-1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
            String next = "GET /v1/next HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    out.write(head.getBytes(ISO_8859_1));
                    out.write(body);
                    out.write(next.getBytes(ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    // the server closed the connection before taking it all
                }
            });
            String received = readUntilClosed(socket, Duration.ofSeconds(10));
            writer.join(Duration.ofSeconds(10));

            Matcher statuses = Pattern.compile("HTTP/1\\.1 (\\d{3})").matcher(received);
            StringBuilder seen = new StringBuilder();
            while (statuses.find()) {
                seen.append(statuses.group(1)).append(' ');
            }
            assertEquals("503 ", seen.toString(), "the answers on the refused send's connection: " + received);
            assertTrue(received.contains("Connection: close"), received);
            assertEquals(List.of("POST /v1/runs/held/stream"), served, "what the handler served");
        } finally {
            release.countDown();
            held.join(Duration.ofSeconds(10));
            server.stop(0);
        }
    }

    /** What the server sent until it closed the connection (end of stream or reset); fails if it stays open. */
    private static String readUntilClosed(Socket socket, Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        InputStream in = socket.getInputStream();
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError(
                    "the connection is still open " + within + " after the refusal: " + received.toString(ISO_8859_1));
        } catch (IOException reset) {
            // closed with the body unread: a reset, after what was sent
        }
        return received.toString(ISO_8859_1);
    }
}
