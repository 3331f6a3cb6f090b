package dev.lsr.recorder;

import static dev.lsr.recorder.testing.SessionHarness.expectedChunks;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RecordType;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.kernel.LifecycleState;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.Fixtures;
import dev.lsr.recorder.testing.LogCapture;
import dev.lsr.sim.LettaSim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every recorded fixture, served by letta-sim behind an API key and found by watching, ends up in
 * the committed log byte for byte (keepalive pings aside), between its attached and finished records;
 * the API key appears in no log line and no record.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FixturesRecordedIT {

    private static final String API_KEY = "sk-lsr-it-" + UUID.randomUUID();
    private static final Map<String, String> STATUS = Map.of(
            "01-simple-reply",
            "completed",
            "02-tool-call-two-steps",
            "completed",
            "03-parallel-approvals",
            "completed",
            "04-error-mid-run",
            "failed",
            "05-long-run-with-pings",
            "completed",
            "06-cancelled-mid-way",
            "cancelled");

    @Test
    void everyFixtureIsRecordedVerbatimAndTheKeyNeverLeaks(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("fixtures");
        try (LogCapture logs = LogCapture.capture();
                LettaSim sim = sim();
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            Map<String, String> runs = new LinkedHashMap<>();
            STATUS.keySet().stream().sorted().forEach(f -> runs.put(Fixtures.runId(f), f));
            // Watching finds the runs still streaming; attaching by id gets the short ones that ended before.
            RecorderConfig config = RecorderConfig.builder(sim.baseUrl())
                    .apiKey(Secret.of(API_KEY))
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .partitions(3)
                    .pollInterval(Duration.ofMillis(200))
                    .attachRunIds(List.copyOf(runs.keySet()))
                    .build();
            RecorderDaemon daemon = RecorderDaemon.create(config);
            Thread thread = Thread.ofPlatform().name("daemon").start(daemon);
            assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)), "daemon running");
            log.awaitUntil(l -> l.ended(runs.keySet()), Duration.ofSeconds(90));
            daemon.close();
            thread.join(Duration.ofSeconds(30).toMillis());
            assertEquals(LifecycleState.STOPPED, daemon.state());

            for (var run : runs.entrySet()) {
                String fixture = run.getValue();
                assertEquals(expectedChunks(fixture), log.chunks(run.getKey()), fixture);
                List<ChunkLogRecord> records = log.run(run.getKey());
                assertEquals(RecordType.RUN_ATTACHED, records.getFirst().type(), fixture);
                ChunkLogRecord last = records.getLast();
                assertEquals(RecordType.RUN_FINISHED, last.type(), fixture);
                LifecycleEvent.RunFinished finished =
                        Json.MAPPER.readValue(last.value(), LifecycleEvent.RunFinished.class);
                assertEquals(STATUS.get(fixture), finished.status(), fixture);
                assertEquals(sim.baseUrl(), records.get(1).envelope().source());
                assertEquals(
                        LettaSim.DEFAULT_RECORDED_AGENT_ID,
                        records.get(1).envelope().agentId());
            }
            String run05 = Fixtures.runId("05-long-run-with-pings");
            assertEquals(
                    resumedOnce("07a-resume-initial-connection", "07b-resume-replay-after-150"),
                    log.chunks(run05),
                    "05 is 07a then 07b without the replayed part");

            assertKeyAbsent(logs.lines(), "log lines");
            for (var event : logs.events()) {
                if (event.getLoggerName().endsWith("RunSession")
                        && event.getFormattedMessage().startsWith("Run ")) {
                    String runId = event.getFormattedMessage()
                            .substring(4, event.getFormattedMessage().indexOf(':'));
                    assertEquals(runId, event.getMDCPropertyMap().get("run_id"), "the run id is in the MDC: " + event);
                }
            }
            List<String> recordTexts = new ArrayList<>();
            for (ChunkLogRecord record : log.all()) {
                recordTexts.add(new String(record.value(), UTF_8));
                for (Header header : dev.lsr.chunklog.EnvelopeHeaders.write(record.envelope())) {
                    recordTexts.add(new String(header.value(), UTF_8));
                }
            }
            assertKeyAbsent(recordTexts, "records");
            assertFalse(logs.lines().isEmpty());
        }
    }

    @Test
    void aWrongKeyStopsTheRecorderWithOneClearLineThatDoesNotShowTheKey(KafkaBroker broker) throws Exception {
        String wrongKey = "sk-wrong-" + UUID.randomUUID();
        try (LogCapture logs = LogCapture.capture();
                LettaSim sim = sim()) {
            RecorderConfig config = RecorderConfig.builder(sim.baseUrl())
                    .apiKey(Secret.of(wrongKey))
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(broker.uniqueTopic("wrongkey"))
                    .partitions(1)
                    .build();
            RecorderDaemon daemon = RecorderDaemon.create(config);
            daemon.run();
            assertEquals(LifecycleState.FAILED, daemon.state());
            RecorderFailure failure = daemon.failure().orElseThrow();
            String message = failure.message();
            assertEquals(
                    "Letta at " + sim.baseUrl() + " refused the API key: GET /v1/runs/?limit=1 -> HTTP 401: "
                            + "Unauthorized: missing or invalid API key",
                    message,
                    "the start check says so before anything starts");
            assertInstanceOf(RecorderFailure.LettaCheckFailed.class, failure);
            assertTrue(logs.lines().stream().noneMatch(line -> line.contains(wrongKey)));
            assertTrue(logs.lines().stream().noneMatch(line -> line.contains(API_KEY)));
        }
    }

    private static LettaSim sim() {
        LettaSim.Builder builder = LettaSim.builder().apiKey(API_KEY).pace(Duration.ofMillis(10));
        for (String run : LettaFixtures.RUNS) {
            builder.recordedRun(run, LettaFixtures.sseBody(run));
        }
        return builder.start();
    }

    /** The chunks of a first connection and a resume, the resume's replay of what was seen dropped. */
    private static List<String> resumedOnce(String first, String resume) {
        List<String> chunks = new ArrayList<>(expectedChunks(first));
        chunks.addAll(LettaFixtures.chunkLines(resume));
        return chunks;
    }

    private static void assertKeyAbsent(List<String> texts, String where) {
        for (String text : texts) {
            assertFalse(text.contains(API_KEY), "the API key leaked into " + where + ": " + text);
        }
    }
}
