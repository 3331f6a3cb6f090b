package dev.lsr.observability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client that opens many connections to the metrics port (a broken scraper) and sends nothing: the server keeps
 * at most its limit of them open, closes the others at once (each would hold a file descriptor of the process, which
 * its Kafka and Letta connections need), and answers {@code /metrics} once they are gone. In a child JVM: the JDK
 * server reads its limit once per process.
 */
class ConnectionLimitIT {

    private static final int LIMIT = ConnectionLimit.DEFAULT;
    private static final int EXTRA = 44;

    @Test
    void connectionsBeyondTheLimitAreClosedAtOnceAndTheServerAnswersAfterwards() throws Exception {
        flood(List.of(), LIMIT);
    }

    /** A limit the user set ({@code -Djdk.httpserver.maxConnections}) is kept: the fewest it may be. */
    @Test
    void aLimitTheUserSetIsKept() throws Exception {
        flood(List.of("-D" + ConnectionLimit.PROPERTY + "=" + ConnectionLimit.LEAST_ROOM), ConnectionLimit.LEAST_ROOM);
    }

    /** Opens {@code limit + EXTRA} silent connections to a child JVM's server, then asks for {@code /metrics}. */
    private static void flood(List<String> jvmOptions, int limit) throws Exception {
        Process child = startChild(jvmOptions);
        List<Socket> flood = new ArrayList<>();
        try {
            int port = portOf(child);
            for (int i = 0; i < limit + EXTRA; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                flood.add(socket);
            }

            assertEquals(EXTRA, closedByTheServer(flood), "connections the server closed at once");

            for (Socket socket : flood) {
                socket.close();
            }
            HttpResponse<String> metrics = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + Endpoints.METRICS))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode(), "/metrics after the flood");
        } finally {
            for (Socket socket : flood) {
                socket.close();
            }
            stop(child);
        }
    }

    /** How many of the sockets the server closed: each is read at once, with a timeout, one virtual thread each. */
    private static int closedByTheServer(List<Socket> sockets) throws Exception {
        try (var reads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> closed = new ArrayList<>();
            for (Socket socket : sockets) {
                closed.add(reads.submit(() -> closed(socket)));
            }
            int count = 0;
            for (Future<Boolean> one : closed) {
                count += one.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            return count;
        }
    }

    /** True when the server closed the connection within 3 s (end of stream or reset), false when it stays open. */
    private static boolean closed(Socket socket) throws IOException {
        socket.setSoTimeout(3_000);
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    static Process startChild(List<String> jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ServeUntilStdinEnds.class.getName());
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    static int portOf(Process child) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("port ")) {
                return Integer.parseInt(line.substring("port ".length()).strip());
            }
        }
        throw new AssertionError("the child JVM printed no port");
    }

    static void stop(Process child) throws InterruptedException {
        try {
            child.getOutputStream().close();
        } catch (IOException ignored) {
            // gone already
        }
        if (!child.waitFor(10, TimeUnit.SECONDS)) {
            child.destroyForcibly();
        }
        assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the child JVM ended");
    }
}
