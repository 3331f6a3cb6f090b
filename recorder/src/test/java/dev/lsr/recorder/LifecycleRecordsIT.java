package dev.lsr.recorder;

import static dev.lsr.recorder.testing.SessionHarness.expectedChunks;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RecordType;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.kernel.LifecycleState;
import dev.lsr.recorder.internal.sse.SseFrameReader;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.Fixtures;
import dev.lsr.recorder.testing.MutableClock;
import dev.lsr.sim.ConnectionFault;
import dev.lsr.sim.FaultPlan;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.RunFaults;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The runs that do not simply finish end with their documented records, while one daemon stays up
 * and records a normal run beside them: foreground (400: not resumable), unknown (404: gone),
 * throttled (429: resumed, then finished), stalled for good (abandoned), expired (410).
 */
@ExtendWith(KafkaBrokerExtension.class)
class LifecycleRecordsIT {

    private static final String NORMAL = Fixtures.runId("01-simple-reply");
    private static final String THROTTLED = Fixtures.runId("02-tool-call-two-steps");
    private static final String EXPIRED = Fixtures.runId("04-error-mid-run");
    private static final String STALLED = Fixtures.runId("07a-resume-initial-connection");
    private static final String UNKNOWN = "run-00000000-0000-4000-8000-000000000404";

    @Test
    void everyKindOfEndHasItsRecordAndTheDaemonStaysUp(KafkaBroker broker) throws Exception {
        MutableClock simClock = new MutableClock(Instant.now());
        FaultPlan faults = FaultPlan.builder()
                .run(
                        THROTTLED,
                        RunFaults.builder()
                                .attempt(1, ConnectionFault.dropAfter(5))
                                .attempt(2, ConnectionFault.reject(429))
                                .attempt(3, ConnectionFault.reject(429))
                                .build())
                .run(
                        STALLED,
                        RunFaults.builder()
                                .attempt(1, ConnectionFault.stallAfter(10, Duration.ofMinutes(1)))
                                .build())
                .build();
        LettaSim.Builder builder = LettaSim.builder().clock(simClock).faults(faults);
        for (String fixture : List.of(
                "01-simple-reply", "02-tool-call-two-steps", "04-error-mid-run", "07a-resume-initial-connection")) {
            builder.recordedRun(fixture, LettaFixtures.sseBody(fixture));
        }
        String topic = broker.uniqueTopic("lifecycle");
        try (LettaSim sim = builder.start();
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            RecorderConfig config = RecorderConfig.builder(sim.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .partitions(2)
                    .agentIds(List.of("agent-watching-nobody"))
                    .pingInterval(Duration.ofMillis(300))
                    .abandonAfter(Duration.ofSeconds(3))
                    .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                    .build();
            RecorderDaemon daemon = RecorderDaemon.create(config);
            Thread thread = Thread.ofPlatform().name("daemon").start(daemon);
            assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));

            String foreground = startForegroundRun(sim);
            var outcomes = List.of(
                    daemon.attach(NORMAL),
                    daemon.attach(THROTTLED),
                    daemon.attach(STALLED),
                    daemon.attach(UNKNOWN),
                    daemon.attach(foreground));
            for (var outcome : outcomes) {
                outcome.get(60, TimeUnit.SECONDS);
            }
            simClock.advance(Duration.ofHours(4));
            assertEquals(
                    RunOutcome.Kind.EXPIRED,
                    daemon.attach(EXPIRED).get(30, TimeUnit.SECONDS).kind());
            assertEquals(LifecycleState.RUNNING, daemon.state(), "the daemon stays up");

            log.awaitUntil(
                    l -> l.ended(Set.of(NORMAL, THROTTLED, STALLED, UNKNOWN, foreground, EXPIRED)),
                    Duration.ofSeconds(30));
            daemon.close();
            thread.join(30_000);
            assertEquals(LifecycleState.STOPPED, daemon.state());

            assertEquals(List.of(RecordType.RUN_ATTACHED, RecordType.RUN_FINISHED), lifecycle(log, NORMAL));
            assertEquals(expectedChunks("01-simple-reply"), log.chunks(NORMAL), "the normal run is unaffected");

            assertEquals(expectedChunks("02-tool-call-two-steps"), log.chunks(THROTTLED));
            assertEquals(
                    List.of(RecordType.RUN_ATTACHED, RecordType.RUN_RESUMED, RecordType.RUN_FINISHED),
                    lifecycle(log, THROTTLED));
            LifecycleEvent.RunResumed resumed =
                    value(log, THROTTLED, RecordType.RUN_RESUMED, LifecycleEvent.RunResumed.class);
            assertEquals("http_429", resumed.cause());
            assertEquals(3, resumed.attempt());

            assertEquals(List.of(RecordType.RUN_GONE), lifecycle(log, UNKNOWN));
            assertEquals(
                    404,
                    value(log, UNKNOWN, RecordType.RUN_GONE, LifecycleEvent.RunRefused.class)
                            .statusCode());

            assertEquals(List.of(RecordType.RUN_NOT_RESUMABLE), lifecycle(log, foreground));
            LifecycleEvent.RunRefused refused =
                    value(log, foreground, RecordType.RUN_NOT_RESUMABLE, LifecycleEvent.RunRefused.class);
            assertEquals(400, refused.statusCode());
            assertTrue(refused.detail().contains("background"), refused.detail());

            assertEquals(List.of(RecordType.RUN_EXPIRED), lifecycle(log, EXPIRED));
            assertEquals(
                    410,
                    value(log, EXPIRED, RecordType.RUN_EXPIRED, LifecycleEvent.RunRefused.class)
                            .statusCode());

            List<RecordType> stalled = lifecycle(log, STALLED);
            assertEquals(RecordType.RUN_ATTACHED, stalled.getFirst());
            assertEquals(RecordType.RUN_ABANDONED, stalled.getLast());
            assertTrue(stalled.contains(RecordType.RUN_RESUMED));
            LifecycleEvent.RunAbandoned abandoned =
                    value(log, STALLED, RecordType.RUN_ABANDONED, LifecycleEvent.RunAbandoned.class);
            assertEquals("running", abandoned.serverStatus());
            assertTrue(abandoned.waitedMillis() >= 3000, "waited " + abandoned.waitedMillis());
            List<String> firstConnection = expectedChunks("07a-resume-initial-connection");
            assertEquals(firstConnection, log.chunks(STALLED), "everything the partial run had, once");
        }
    }

    private static List<RecordType> lifecycle(CommittedLog log, String runId) {
        return log.types(runId).stream().filter(t -> t != RecordType.CHUNK).toList();
    }

    private static <T extends LifecycleEvent> T value(
            CommittedLog log, String runId, RecordType type, Class<T> valueType) throws Exception {
        ChunkLogRecord record = log.run(runId).stream()
                .filter(r -> r.type() == type)
                .findFirst()
                .orElseThrow();
        return Json.MAPPER.readValue(record.value(), valueType);
    }

    /** Sends a foreground message (background false) and returns its run id from the initial ping. */
    private static String startForegroundRun(LettaSim sim) throws Exception {
        OkHttpClient client = new OkHttpClient();
        String body = "{\"messages\":[{\"type\":\"message\",\"role\":\"user\",\"content\":\"hi\",\"otid\":\"fg-1\"}],"
                + "\"streaming\":true,\"include_pings\":true,\"background\":false}";
        Request request = new Request.Builder()
                .url(sim.baseUrl() + "/v1/agents/agent-fg/messages/stream")
                .post(RequestBody.create(body, MediaType.get("application/json")))
                .build();
        try (Response response = client.newCall(request).execute()) {
            assertEquals(200, response.code());
            byte[] first = new SseFrameReader(response.body().source()).next().data();
            return ChunkPeek.of(first).runId();
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    static String text(byte[] bytes) {
        return new String(bytes, UTF_8);
    }
}
