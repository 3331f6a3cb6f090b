package dev.lsr.recorder.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.EmbeddedKafkaBroker;
import dev.lsr.recorder.testing.ChildRecorder;
import dev.lsr.recorder.testing.Fixtures;
import dev.lsr.sim.LettaSim;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder CLI (a child JVM) records a paced fixture from letta-sim into a real broker while the test
 * scrapes its {@code --http-port}: {@code /metrics} shows the appended-chunk counter moving, and
 * {@code /health/ready} turns 503 when the broker stops and 200 again when it is back on the same port
 * and data dir. Uses its own embedded broker (the shared test broker must never stop). About 40 s.
 */
class MetricsEndpointIT {

    private static final String FIXTURE = "05-long-run-with-pings";
    private static final Pattern CHUNKS_APPENDED =
            Pattern.compile("^lsr_recorder_chunks_appended_total(?:\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);
    private static final Duration EVENT_TIMEOUT = Duration.ofMinutes(2);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void metricsMoveWhileRecordingAndReadinessFollowsTheBroker() throws Exception {
        Path kafkaDir = dir.resolve("kafka");
        EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().dataDir(kafkaDir).port(0).start();
        int kafkaPort = broker.port();
        int httpPort = freePort();
        try (LettaSim sim = LettaSim.builder()
                        .pace(Duration.ofMillis(20))
                        .recordedRun(FIXTURE, LettaFixtures.sseBody(FIXTURE))
                        .start();
                ChildRecorder recorder = ChildRecorder.start(
                        List.of(
                                "--letta-url", sim.baseUrl(),
                                "--bootstrap-servers", broker.bootstrapServers(),
                                "--topic", "metrics-endpoint",
                                "--partitions", "1",
                                "--attach", Fixtures.runId(FIXTURE),
                                "--metrics-interval", "0",
                                "--http-port", Integer.toString(httpPort)),
                        Path.of("target", "metrics-endpoint-it", "recorder.log"))) {
            double first = await().atMost(EVENT_TIMEOUT)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> chunksAppended(httpPort), n -> n > 0);
            double later = await().atMost(EVENT_TIMEOUT)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> chunksAppended(httpPort), n -> n > first);
            assertTrue(later > first, "the counter moved: " + first + " -> " + later);
            assertEquals(200, get(httpPort, "/health/live").statusCode());
            awaitReady(httpPort, 200);

            broker.close();
            String down = awaitReady(httpPort, 503);
            assertTrue(down.contains("\"kafka\":{\"status\":\"DOWN\""), down);
            assertEquals(200, get(httpPort, "/health/live").statusCode(), "alive all the same");

            broker = EmbeddedKafkaBroker.builder()
                    .dataDir(kafkaDir)
                    .port(kafkaPort)
                    .start();
            String up = awaitReady(httpPort, 200);
            assertTrue(up.startsWith("{\"status\":\"UP\""), up);
            assertEquals(0, recorder.terminate(Duration.ofSeconds(60)), "SIGTERM stops it cleanly");
        } finally {
            broker.close();
        }
    }

    /** Waits until {@code /health/ready} answers {@code status}; returns its body. */
    private String awaitReady(int port, int status) {
        AtomicReference<String> body = new AtomicReference<>();
        await().atMost(EVENT_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpResponse<String> ready = get(port, "/health/ready");
            body.set(ready.body());
            return ready.statusCode() == status;
        });
        return body.get();
    }

    /** The counter's value in a scrape; -1 before the recorder serves it. */
    private double chunksAppended(int port) {
        try {
            Matcher m = CHUNKS_APPENDED.matcher(get(port, "/metrics").body());
            return m.find() ? Double.parseDouble(m.group(1)) : -1;
        } catch (IOException e) {
            return -1; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
