package dev.lsr.recorder;

import static dev.lsr.recorder.testing.SessionHarness.expectedChunks;
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
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.Fixtures;
import dev.lsr.recorder.testing.OneRun;
import dev.lsr.recorder.testing.SimFront;
import dev.lsr.sim.ConnectionFault;
import dev.lsr.sim.FaultPlan;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.RunFaults;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A resume answered 404 or 400 ends a run only when {@code GET /v1/runs/{id}} agrees: the run is unknown (gone), or
 * not in background mode (not resumable). Such an answer from a proxy or a deploy, while Letta still has the run, is
 * a failed connection like any other. And a run refused after chunks were recorded gets a {@code run.gap} to its
 * end, as an expired one does: the log never just stops.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RefusedResumeIT {

    private static final String FIXTURE = "05-long-run-with-pings";
    private static final String RUN_ID = Fixtures.runId(FIXTURE);

    @ParameterizedTest
    @ValueSource(ints = {404, 400})
    void aResumeRefusedOnceWhileLettaStillHasTheRunIsRetried(int status, KafkaBroker broker) throws Exception {
        FaultPlan faults = FaultPlan.builder()
                .run(
                        RUN_ID,
                        RunFaults.builder()
                                .attempt(1, new ConnectionFault.Drop(30, true))
                                .attempt(2, new ConnectionFault.Reject(status))
                                .build())
                .build();
        String topic = broker.uniqueTopic("refused-resume-" + status);
        try (LettaSim letta = LettaSim.builder()
                        .recordedRun(FIXTURE, LettaFixtures.sseBody(FIXTURE))
                        .pace(Duration.ofMillis(5))
                        .faults(faults)
                        .start();
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            OneRun.record(letta.baseUrl(), broker.bootstrapServers(), topic, RUN_ID, log);
            assertEquals(
                    RecordType.RUN_FINISHED,
                    log.types(RUN_ID).getLast(),
                    log.types(RUN_ID).toString());
            assertEquals(expectedChunks(FIXTURE), log.chunks(RUN_ID));
        }
    }

    @Test
    void aRunThatIsGoneAfterChunksWereRecordedGetsAGapToItsEnd(KafkaBroker broker) throws Exception {
        FaultPlan faults = FaultPlan.builder()
                .run(
                        RUN_ID,
                        RunFaults.builder()
                                .attempt(1, new ConnectionFault.Drop(30, true))
                                .build())
                .build();
        String topic = broker.uniqueTopic("gone-resume");
        AtomicBoolean gone = new AtomicBoolean();
        try (LettaSim letta = LettaSim.builder()
                        .recordedRun(FIXTURE, LettaFixtures.sseBody(FIXTURE))
                        .pace(Duration.ofMillis(5))
                        .faults(faults)
                        .start();
                // once the first connection has ended, Letta knows the run no more (deleted with its agent)
                SimFront front = new SimFront(
                        letta.baseUrl(),
                        path -> gone.get() && path.contains("/runs/" + RUN_ID) ? NOT_FOUND : null,
                        path -> gone.compareAndSet(false, SimFront.isRunStream(path, RUN_ID)));
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            OneRun.record(front.baseUrl(), broker.bootstrapServers(), topic, RUN_ID, log);
            List<ChunkLogRecord> records = log.run(RUN_ID);
            assertEquals(
                    RecordType.RUN_GONE,
                    records.getLast().type(),
                    log.types(RUN_ID).toString());
            ChunkLogRecord gap = records.get(records.size() - 2);
            assertEquals(RecordType.RUN_GAP, gap.type(), log.types(RUN_ID).toString());
            Position last = log.chunkPositions(RUN_ID).getLast();
            assertTrue(last.isAfter(Position.START), "chunks were recorded before the run went");
            assertEquals(
                    new LifecycleEvent.RunGap(last.nextNumber(), null, "gone"),
                    Json.MAPPER.readValue(gap.value(), LifecycleEvent.RunGap.class));
        }
    }

    private static final SimFront.Canned NOT_FOUND =
            new SimFront.Canned(404, "application/json", "{\"detail\":\"Run not found\"}");
}
