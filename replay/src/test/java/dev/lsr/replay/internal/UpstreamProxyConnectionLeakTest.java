package dev.lsr.replay.internal;

import static dev.lsr.kernel.http.testing.NeverReadingClient.closedByServer;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.lsr.kernel.http.testing.NeverReadingClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A proxied response ended by the write timeout (its client reads nothing) gives its JDK server connection slot back,
 * whether the upstream's body is chunked or of a known length. {@link dev.lsr.kernel.http.WriteDeadline#send} says
 * why it matters: "a response of known length cut short is taken off its count only" when the stall escapes the
 * handler; UpstreamProxy catches its write stall and returns normally. With {@code jdk.httpserver.maxConnections} = 2
 * (in a child JVM: the JDK reads it once per process), two stalled proxied responses whose clients have since gone
 * must leave room for a new client.
 */
class UpstreamProxyConnectionLeakTest {

    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);
    private static final int BIG = 16 * 1024 * 1024;

    @ParameterizedTest
    @ValueSource(strings = {"/v1/chunked", "/v1/known-length"})
    void stalledProxiedResponsesGiveTheirConnectionSlotsBack(String bigPath) throws Exception {
        HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        upstream.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (path.equals("/v1/small")) {
                    byte[] ok = "ok".getBytes(UTF_8);
                    exchange.sendResponseHeaders(200, ok.length);
                    exchange.getResponseBody().write(ok);
                    return;
                }
                exchange.sendResponseHeaders(200, path.equals("/v1/chunked") ? 0 : BIG);
                OutputStream out = exchange.getResponseBody();
                byte[] data = new byte[64 * 1024];
                for (int sent = 0; sent < BIG; sent += data.length) {
                    out.write(data);
                }
            } catch (IOException e) {
                // the proxy let go of the response
            }
        });
        upstream.start();
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Djdk.httpserver.maxConnections=2",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ProxyUntilStdinEnds.class.getName(),
                        "http://127.0.0.1:" + upstream.getAddress().getPort(),
                        WRITE_TIMEOUT.toString())
                .start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8));
            String first;
            do {
                first = lines.readLine(); // after the logging's own lines
            } while (first != null && !first.startsWith("port "));
            assertTrue(first != null, "the child JVM printed no port");
            int port = Integer.parseInt(first.substring("port ".length()).strip());
            Thread.ofVirtual().start(() -> lines.lines().forEach(System.out::println)); // drained
            AtomicInteger stalls = new AtomicInteger();
            BufferedReader log = new BufferedReader(new InputStreamReader(child.getErrorStream(), UTF_8));
            Thread.ofVirtual()
                    .start(() -> log.lines()
                            .forEach(
                                    line -> { // its log (stderr), drained
                                        System.err.println(line);
                                        if (line.contains("the client read nothing of the upstream's response")) {
                                            stalls.incrementAndGet();
                                        }
                                    }));
            for (int i = 0; i < 3; i++) {
                assertEquals(200, get(port, "/v1/small"), "before any stall");
            }
            Thread.sleep(1_000); // the dispatcher takes the control connections off its count
            for (int round = 1; round <= 2; round++) { // 4 stalled responses with 2 connections
                List<Socket> stalled = new ArrayList<>();
                try {
                    for (int i = 0; i < 2; i++) {
                        stalled.add(NeverReadingClient.send(
                                port, "GET " + bigPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
                    }
                    Thread.sleep(WRITE_TIMEOUT.plusSeconds(3).toMillis()); // the buffers fill, the writes stall
                    for (Socket socket : stalled) {
                        assertTrue(closedByServer(socket), "round " + round + ": the server ended a stalled response");
                    }
                    if (round == 1) { // the first two did stall (not merely refused): the proxy logged both
                        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                        while (stalls.get() < 2 && System.nanoTime() < until) {
                            Thread.sleep(100);
                        }
                        assertEquals(2, stalls.get(), "stalled proxied responses after round 1");
                    }
                } finally {
                    for (Socket socket : stalled) {
                        socket.close();
                    }
                }
            }
            assertEquals(
                    200,
                    get(port, "/v1/small"),
                    "a new client after 4 stalled proxied responses of " + bigPath + " (2 connection slots)");
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
            upstream.stop(0);
        }
    }

    /**
     * A request on a new raw connection, tried again for up to 5 s while the server closes it without an answer (-1):
     * the server takes an ended connection off its count on its dispatcher thread. A slot never given back stays
     * refused.
     */
    private static int get(int port, String path) throws Exception {
        int status = -1;
        for (int attempt = 0; attempt < 50 && status == -1; attempt++) {
            if (attempt > 0) {
                Thread.sleep(100);
            }
            status = getOnce(port, path);
        }
        return status;
    }

    private static int getOnce(int port, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(5_000);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                            .getBytes(UTF_8));
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8)).readLine();
            return line == null ? -1 : Integer.parseInt(line.split(" ")[1]);
        } catch (SocketException e) {
            return -1; // reset
        }
    }
}
