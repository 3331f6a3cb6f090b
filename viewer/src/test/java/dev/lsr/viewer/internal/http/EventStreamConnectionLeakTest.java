package dev.lsr.viewer.internal.http;

import static dev.lsr.kernel.http.testing.NeverReadingClient.closedByServer;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.kernel.http.testing.NeverReadingClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A live page's event stream ended by the write timeout (its client reads nothing) gives its JDK server connection
 * slot back. {@link EventStream} catches the stall and returns normally, where a response of a known length must let
 * it escape the handler to be taken off {@code jdk.httpserver.maxConnections}' count ({@code
 * UpstreamProxyConnectionLeakTest}); a streamed one with {@code Connection: close}, as the event stream's is, is taken
 * off it when it ends, so it needs not. This test guards that: with a limit of 2 (in a child JVM: the JDK reads it
 * once per process), four stalled event streams whose clients have since gone must leave room for a new client.
 */
class EventStreamConnectionLeakTest {

    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);

    @Test
    void stalledEventStreamsGiveTheirConnectionSlotsBack() throws Exception {
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Djdk.httpserver.maxConnections=2",
                        "-cp",
                        System.getProperty("java.class.path"),
                        EventsUntilStdinEnds.class.getName(),
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
                                        if (line.contains("client read nothing for")) {
                                            stalls.incrementAndGet();
                                        }
                                    }));
            for (int i = 0; i < 3; i++) {
                assertEquals(200, get(port, "/static/viewer.css"), "before any stall");
            }
            Thread.sleep(1_000); // the dispatcher takes the control connections off its count
            for (int round = 1; round <= 2; round++) { // 4 stalled streams with 2 connections
                List<Socket> stalled = new ArrayList<>();
                try {
                    for (int i = 0; i < 2; i++) {
                        stalled.add(NeverReadingClient.send(port, "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
                    }
                    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (stalls.get() < 2 * round && System.nanoTime() < until) {
                        Thread.sleep(100); // the buffers fill, the writes stall
                    }
                    if (round == 1) { // the first two did stall (not merely refused)
                        assertEquals(2, stalls.get(), "stalled event streams after round 1");
                        for (Socket socket : stalled) {
                            assertTrue(closedByServer(socket), "the server ended a stalled event stream");
                        }
                    }
                } finally {
                    for (Socket socket : stalled) {
                        socket.close();
                    }
                }
            }
            assertEquals(
                    200,
                    get(port, "/static/viewer.css"),
                    "a new client after 4 stalled event streams (2 connection slots)");
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
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
