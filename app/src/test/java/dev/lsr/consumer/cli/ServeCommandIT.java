package dev.lsr.consumer.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.testing.ChildRecorder;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code consumer serve} as an operator runs it, in its own JVM, with an API key: one port serves Letta's
 * runs API, the run viewer at {@code /} (both behind the key) and {@code /metrics} and the health probes
 * (open, as scrapers and probes send no key); SIGTERM stops it with exit code 0.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ServeCommandIT {

    private static final String KEY = "serve-it-key-0123456789";
    private static final String RUN = "05-long-run-with-pings";
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void oneServerServesTheApiTheViewerMetricsAndProbes(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("serve");
        broker.createTopic(topic, 2);
        FixtureLog fixture = FixtureLog.of(RUN);
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            producer.append(fixture.records());
        }
        String runId = fixture.records().getFirst().runId();
        Path dir = Files.createDirectories(Path.of("target", "serve-it"));
        Path keyFile = Files.writeString(dir.resolve(topic + ".key"), KEY + "\n", UTF_8);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        URI base = URI.create("http://127.0.0.1:" + port);
        try (ChildRecorder serve = ChildRecorder.start(
                ConsumerCli.class,
                List.of(
                        "--bootstrap-servers",
                        broker.bootstrapServers(),
                        "--topic",
                        topic,
                        "serve",
                        "--port",
                        Integer.toString(port),
                        "--api-key-file",
                        keyFile.toString()),
                dir.resolve(topic + ".log"))) {
            serve.awaitOutput("run viewer: " + base + "/", TIMEOUT);
            await().atMost(TIMEOUT).until(() -> get(base, "/health/ready", null).statusCode() == 200);

            assertEquals(200, get(base, "/health/live", null).statusCode());
            HttpResponse<String> metrics = get(base, "/metrics", null);
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("lsr_replay_runs_indexed 1.0"), metrics.body());
            assertTrue(metrics.body().contains("lsr_replay_streams_open 0.0"), metrics.body());
            assertTrue(metrics.body().contains("lsr_replay_streams_stalled_total 0.0"), metrics.body());
            assertTrue(metrics.body().contains("lsr_replay_index_outages_total 0.0"), metrics.body());
            assertTrue(metrics.body().contains("lsr_replay_index_failed_reads_total 0.0"), metrics.body());
            assertTrue(metrics.body().contains("lsr_replay_index_offsets_deleted_unread_total 0.0"), metrics.body());
            assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "JVM meters");

            // no connection cap of its own: live streams, the viewer and the probes share the port, and a cap
            // refuses silently (the JDK closes the connection unlogged), the liveness probe's too
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) {
                    Socket socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                    held.add(socket);
                }
                assertEquals(
                        200,
                        HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(base.resolve("/health/live"))
                                                .timeout(Duration.ofSeconds(30))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString(UTF_8))
                                .statusCode(),
                        "liveness with 300 other connections open");
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }

            assertEquals(401, get(base, "/", null).statusCode(), "the viewer shows transcripts: behind the key");
            assertEquals(401, get(base, "/v1/runs/", null).statusCode());
            HttpResponse<String> runs = get(base, "/v1/runs/", KEY);
            assertEquals(200, runs.statusCode());
            assertTrue(runs.body().contains(runId), runs.body());
            await().atMost(TIMEOUT).until(() -> get(base, "/", KEY).body().contains(runId));
            HttpResponse<String> page = get(base, "/", KEY);
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));

            assertEquals(0, serve.terminate(TIMEOUT), "SIGTERM is a clean stop: " + serve.output());
            String output = serve.output();
            assertFalse(output.contains(KEY), "the key never reaches the output");
        }
    }

    private HttpResponse<String> get(URI base, String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
    }
}
