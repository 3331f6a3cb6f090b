package dev.lsr.recorder;

import static dev.lsr.recorder.testing.SessionHarness.expectedChunks;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.kernel.LifecycleState;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.Fixtures;
import dev.lsr.sim.ConnectionFault;
import dev.lsr.sim.FaultPlan;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.RunFaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fixture 05 cut on its first connection at a dense sample of frame positions (every position near
 * the start, around the tool call and its pings, around seq 150 and through the terminal frames,
 * every fifth elsewhere; an abrupt drop or a clean EOF alternately, and a stall without pings at
 * some; and, at every one of these positions, a per-connection {@code event: error} frame: Letta
 * Cloud's deploy interruption repeating the last seq or with a null seq, or the legacy writer's
 * frame, in turn) records exactly what the uninterrupted run records, and the run is finished only
 * at its end. Each position is its own copy of the run
 * (the run id changed, same length), all recorded at once by one recorder. The unit tests cut at
 * every position against a scripted server.
 */
@ExtendWith(KafkaBrokerExtension.class)
class DisconnectAtEveryFrameIT {

    private static final String FIXTURE = "05-long-run-with-pings";
    private static final String RUN_ID = Fixtures.runId(FIXTURE);
    /** The live timeline of 05: 383 stored frames and 4 keepalive pings. */
    private static final int FRAMES = 387;
    /**
     * The stall timeout is 3x this; a loaded machine must not make first attempts time out waiting for
     * their headers, and a stall must outlast the timeout clearly.
     */
    private static final Duration PING_INTERVAL = Duration.ofSeconds(2);

    private static final Duration STALL = Duration.ofSeconds(10);
    private static final ConnectionFault.ErrorShape[] SHAPES = ConnectionFault.ErrorShape.values();
    private static final List<Integer> STALLS = List.of(0, 1, 2, 85, 86, 150, 380, 383, 384, 385);

    @Test
    void everyCutPositionGivesTheUninterruptedLog(KafkaBroker broker) throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        LettaSim.Builder sim = LettaSim.builder();
        FaultPlan.Builder faults = FaultPlan.builder();
        byte[] body = LettaFixtures.sseBody(FIXTURE);
        for (int cut = 0; cut < FRAMES; cut++) {
            if (!dense(cut)) {
                continue;
            }
            addCase(
                    cases,
                    sim,
                    faults,
                    body,
                    "drop-" + cut,
                    cut % 2 == 0 ? ConnectionFault.dropAfter(cut) : ConnectionFault.endAfter(cut));
            ConnectionFault.ErrorShape shape = SHAPES[cut % SHAPES.length];
            addCase(cases, sim, faults, body, "error-" + shape + "-" + cut, ConnectionFault.errorAfter(cut, shape));
        }
        for (int cut : STALLS) {
            addCase(cases, sim, faults, body, "stall-" + cut, ConnectionFault.stallAfter(cut, STALL));
        }
        String topic = broker.uniqueTopic("cuts");
        try (LettaSim letta = sim.faults(faults.build()).start();
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            RecorderConfig config = RecorderConfig.builder(letta.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .partitions(4)
                    .watch(false)
                    .stopWhenIdle(true)
                    .attachRunIds(List.copyOf(cases.keySet()))
                    .pingInterval(PING_INTERVAL)
                    .backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                    .build();
            RecorderDaemon daemon = RecorderDaemon.create(config);
            daemon.run();
            assertEquals(LifecycleState.STOPPED, daemon.state(), "stops by itself once every run ended");

            log.awaitUntil(l -> l.ended(cases.keySet()), Duration.ofSeconds(60));
            for (var entry : cases.entrySet()) {
                String runId = entry.getKey();
                String name = entry.getValue();
                assertEquals(expected(runId), log.chunks(runId), name);
                List<ChunkLogRecord> records = log.run(runId);
                assertEquals(RecordType.RUN_ATTACHED, records.getFirst().type(), name);
                assertEquals(RecordType.RUN_FINISHED, records.getLast().type(), name);
                assertEquals(
                        "end_turn",
                        Json.MAPPER
                                .readValue(records.getLast().value(), LifecycleEvent.RunFinished.class)
                                .stopReason(),
                        name);
                assertPositionsStrictlyIncrease(records, name);
            }
            // The faults must really have happened. A cut after the first frame repeats on every connection
            // from the start until the recorder resumed after it, so however slow the machine (attempts
            // that time out waiting for their headers, cuts served to a client that already gave up),
            // every such drop and error case is resumed. A stall is a matter of time by nature, and a cut
            // before any frame is placed on the first attempt only: those must nearly all be resumed.
            List<String> notResumed = cases.keySet().stream()
                    .filter(id -> !log.types(id).contains(RecordType.RUN_RESUMED))
                    .map(cases::get)
                    .toList();
            assertEquals(
                    List.of(),
                    notResumed.stream()
                            .filter(name -> !name.startsWith("stall-") && !name.endsWith("-0"))
                            .toList(),
                    "cuts after the first frame that were not resumed");
            assertTrue(notResumed.size() <= cases.size() / 10, notResumed + " were not resumed");
        }
    }

    private static boolean dense(int cut) {
        return cut <= 12 || (cut >= 80 && cut <= 92) || (cut >= 145 && cut <= 156) || cut >= 374 || cut % 5 == 0;
    }

    private static void addCase(
            Map<String, String> cases,
            LettaSim.Builder sim,
            FaultPlan.Builder faults,
            byte[] body,
            String name,
            ConnectionFault fault) {
        String runId = RUN_ID.substring(0, RUN_ID.length() - 12) + String.format("%012d", cases.size());
        cases.put(runId, name);
        sim.recordedRun(name, new String(body, UTF_8).replace(RUN_ID, runId).getBytes(UTF_8));
        // From its first frame on, a cut is placed on what the recorder asks for, not on an attempt count:
        // every connection from the start is cut there until the recorder resumes after it.
        faults.run(
                runId,
                fault.afterFrames() == 0
                        ? RunFaults.builder().attempt(1, fault).build()
                        : RunFaults.builder().fromStart(fault).build());
    }

    private static List<String> expected(String runId) {
        List<String> chunks = new ArrayList<>();
        for (String chunk : expectedChunks(FIXTURE)) {
            chunks.add(chunk.replace(RUN_ID, runId));
        }
        return chunks;
    }

    private static void assertPositionsStrictlyIncrease(List<ChunkLogRecord> records, String name) {
        Position previous = Position.START;
        for (ChunkLogRecord record : records) {
            if (record.type() == RecordType.CHUNK) {
                assertTrue(record.position().isAfter(previous), name + ": " + record.position() + " after " + previous);
                previous = record.position();
            }
        }
    }
}
