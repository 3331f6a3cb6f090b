package dev.lsr.replay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.testing.ChildRecorder;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.SimSends;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.StoredFrame;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The replay server on runs the real recorder (a child JVM) recorded from letta-sim: after letta-sim is
 * gone the run is still served whole, byte for byte what letta-sim served; and a run tailed live while
 * its recorder is SIGKILLed and restarted reaches the client with every frame once, in order, and
 * {@code [DONE]} at the end.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ReplayRecordedRunsIT {

    private static final Duration EVENT_TIMEOUT = Duration.ofMinutes(3);
    private static final Path OUTPUT = Path.of("target", "replay-it");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aRunLettaHasForgottenIsStillServedWhole(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("replay-forgotten");
        String runId;
        byte[] served;
        try (LettaSim sim = LettaSim.builder().pace(Duration.ofMillis(2)).start();
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            runId = SimSends.startBackgroundRun(sim, "agent-forgotten", "hello [sim:chunks=120]");
            try (ChildRecorder recorder =
                    ChildRecorder.start(args(sim, broker, topic), OUTPUT.resolve(topic + ".log"))) {
                log.awaitUntil(l -> l.ended(Set.of(runId)), EVENT_TIMEOUT);
                recorder.terminate(Duration.ofSeconds(30));
            }
            served = servedBody(sim.storedFrames(runId));
        }
        // letta-sim is stopped: Letta has forgotten the run
        try (ReplayServer server = server(broker, topic)) {
            HttpResponse<byte[]> response = stream(server.baseUrl(), runId);
            assertEquals(200, response.statusCode());
            assertEquals(new String(served, UTF_8), new String(response.body(), UTF_8));
            assertTrue(new String(response.body(), UTF_8).endsWith("data: [DONE]\n\n"));
        }
    }

    @Test
    void aRunTailedWhileItsRecorderIsKilledAndRestartedArrivesWholeOnce(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("replay-live");
        try (LettaSim sim = LettaSim.builder().pace(Duration.ofMillis(50)).start();
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            String runId = SimSends.startBackgroundRun(sim, "agent-live", "go [sim:chunks=200]");
            List<String> args = args(sim, broker, topic);
            ChildRecorder first = ChildRecorder.start(args, OUTPUT.resolve(topic + "-1.log"));
            try (ReplayServer server = server(broker, topic)) {
                log.awaitUntil(l -> l.chunks(runId).size() >= 10, EVENT_TIMEOUT);
                await().atMost(EVENT_TIMEOUT).until(() -> get(server.baseUrl(), runId) == 200);
                // without keepalive pings (they are per connection): the body is then exactly the stored frames
                CompletableFuture<HttpResponse<InputStream>> pending = http.sendAsync(
                        streamRequest(server.baseUrl(), runId, "{\"include_pings\": false}"),
                        HttpResponse.BodyHandlers.ofInputStream());
                HttpResponse<InputStream> response = pending.get(60, TimeUnit.SECONDS);
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                Thread reader = Thread.ofVirtual().start(() -> {
                    try (InputStream in = response.body()) {
                        in.transferTo(received);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                int before = log.chunks(runId).size();
                log.awaitUntil(l -> l.chunks(runId).size() >= before + 20, EVENT_TIMEOUT);
                first.kill();
                try (ChildRecorder second = ChildRecorder.start(args, OUTPUT.resolve(topic + "-2.log"))) {
                    reader.join(EVENT_TIMEOUT);
                    assertTrue(!reader.isAlive(), "the stream ended");
                    second.terminate(Duration.ofSeconds(30));
                }
                // without pings a silence gets an SSE comment line (which parsers skip), such as the recorder's restart
                String body = received.toString(UTF_8).replace(": keepalive\n\n", "");
                assertEquals(new String(servedBody(sim.storedFrames(runId)), UTF_8), body);
                assertTrue(body.endsWith("data: [DONE]\n\n"), body);
            } finally {
                first.close();
            }
        }
    }

    /** What letta-sim serves for the run from the start: its stored frames, [DONE] included. */
    private static byte[] servedBody(List<StoredFrame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(f -> out.writeBytes(f.servedBytes()));
        return out.toByteArray();
    }

    private static ReplayServer server(KafkaBroker broker, String topic) throws InterruptedException {
        await().atMost(EVENT_TIMEOUT)
                .until(() -> broker.admin().listTopics().names().get().contains(topic));
        ReplayServer server = ReplayServer.builder()
                .clientProperties(Map.of("bootstrap.servers", broker.bootstrapServers()))
                .topic(topic)
                .port(0)
                .keepalive(Duration.ofMillis(500))
                .start();
        assertTrue(server.awaitIndexed(EVENT_TIMEOUT));
        return server;
    }

    private HttpResponse<byte[]> stream(URI base, String runId) throws Exception {
        return http.send(streamRequest(base, runId, "{}"), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpRequest streamRequest(URI base, String runId, String body) {
        return HttpRequest.newBuilder(base.resolve("/v1/runs/" + runId + "/stream"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private int get(URI base, String runId) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(base.resolve("/v1/runs/" + runId))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static List<String> args(LettaSim sim, KafkaBroker broker, String topic) {
        return List.of(
                "--letta-url", sim.baseUrl(),
                "--bootstrap-servers", broker.bootstrapServers(),
                "--topic", topic,
                "--partitions", "2",
                "--poll-interval", "200ms",
                "--ping-interval", "2s",
                "--backoff-initial", "50ms",
                "--backoff-max", "1s",
                "--shutdown-timeout", "6s");
    }
}
