package dev.lsr.recorder;

import static dev.lsr.recorder.testing.SessionHarness.expectedChunks;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RecordType;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.Fixtures;
import dev.lsr.recorder.testing.OneRun;
import dev.lsr.sim.ConnectionFault;
import dev.lsr.sim.ConnectionFault.ErrorShape;
import dev.lsr.sim.FaultPlan;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.RunFaults;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A live run (fixture 05 stored at a pace, so {@code GET /v1/runs/{id}} says {@code running}) whose
 * first three connections are each cut by a per-connection {@code event: error} frame, one of each
 * shape: the recorder resumes after each, records the whole run once, and finishes it only at its
 * end, with the server's final status.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ErrorFramesWhileRunningIT {

    private static final String FIXTURE = "05-long-run-with-pings";
    private static final String RUN_ID = Fixtures.runId(FIXTURE);

    @Test
    void errorFramesWhileTheServerSaysRunningAreDisconnectsNotTheEnd(KafkaBroker broker) throws Exception {
        FaultPlan faults = FaultPlan.builder()
                .run(
                        RUN_ID,
                        RunFaults.builder()
                                .attempt(1, ConnectionFault.errorAfter(30, ErrorShape.CLOUD_INTERRUPTED))
                                .attempt(2, ConnectionFault.errorAfter(30, ErrorShape.CLOUD_INTERRUPTED_NO_SEQ))
                                .attempt(3, ConnectionFault.errorAfter(30, ErrorShape.LEGACY_WRITER))
                                .build())
                .build();
        String topic = broker.uniqueTopic("error-frames");
        try (LettaSim letta = LettaSim.builder()
                        .recordedRun(FIXTURE, LettaFixtures.sseBody(FIXTURE))
                        .pace(Duration.ofMillis(10))
                        .faults(faults)
                        .start();
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            OneRun.record(letta.baseUrl(), broker.bootstrapServers(), topic, RUN_ID, log);

            assertEquals(expectedChunks(FIXTURE), log.chunks(RUN_ID));
            List<ChunkLogRecord> records = log.run(RUN_ID);
            assertEquals(RecordType.RUN_FINISHED, records.getLast().type());
            LifecycleEvent.RunFinished finished =
                    Json.MAPPER.readValue(records.getLast().value(), LifecycleEvent.RunFinished.class);
            assertEquals("end_turn", finished.stopReason());
            assertEquals("completed", finished.status(), "finished at the run's end, not at an error frame");
            assertEquals(
                    3,
                    log.types(RUN_ID).stream()
                            .filter(t -> t == RecordType.RUN_RESUMED)
                            .count(),
                    log.types(RUN_ID).toString());
            List<ChunkLogRecord> errors = records.stream()
                    .filter(r -> r.type() == RecordType.CONNECTION_ERROR)
                    .toList();
            assertEquals(3, errors.size(), "one connection.error per cut, each taking no position");
            for (ChunkLogRecord error : errors) {
                LifecycleEvent.ConnectionError value =
                        Json.MAPPER.readValue(error.value(), LifecycleEvent.ConnectionError.class);
                assertEquals("error", value.sseEvent());
            }
        }
    }

    /**
     * A seq-less {@code error_message} right after the {@code stop_reason} of a background run, with a code other
     * than the deploy interruption: a stored error would show its seq on a background stream, so this one is the
     * connection's. Taken as the run's own error it took the position (n, 2) the stored {@code usage_statistics}
     * needs, which the resume then dropped as a replay.
     */
    @Test
    void aSeqLessErrorAfterTheStopReasonOfABackgroundRunIsTheConnections(KafkaBroker broker) throws Exception {
        FaultPlan faults = FaultPlan.builder()
                .run(
                        RUN_ID,
                        RunFaults.builder()
                                .attempt(
                                        1,
                                        ConnectionFault.errorAfter(
                                                STOP_REASON_FRAME, ErrorShape.CLOUD_READER_FAILED_NO_SEQ))
                                .build())
                .build();
        String topic = broker.uniqueTopic("error-after-stop-reason");
        try (LettaSim letta = LettaSim.builder()
                        .recordedRun(FIXTURE, LettaFixtures.sseBody(FIXTURE))
                        .pace(Duration.ofMillis(2))
                        .faults(faults)
                        .start();
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            OneRun.record(letta.baseUrl(), broker.bootstrapServers(), topic, RUN_ID, log);

            assertEquals(expectedChunks(FIXTURE), log.chunks(RUN_ID), "the stored usage_statistics is kept");
            assertEquals(RecordType.RUN_FINISHED, log.types(RUN_ID).getLast());
            assertEquals(
                    1,
                    log.types(RUN_ID).stream()
                            .filter(t -> t == RecordType.CONNECTION_ERROR)
                            .count(),
                    log.types(RUN_ID).toString());
        }
    }

    /**
     * A run that has already ended on the server (fixture 05 stored at once: {@code completed}), recorded up to seq
     * 30 when the connection drops; the next two resumes are each cut before their first frame by a deploy's
     * {@code event: error}. Those cuts are the connection's, not the stream's end: the recorder resumes again and
     * records the rest. Counted as "nothing more to read" they finished the run at seq 30, with no gap.
     */
    @Test
    void anEndedRunWhoseResumesAreCutByErrorFramesIsNotFinishedEarly(KafkaBroker broker) throws Exception {
        FaultPlan faults = FaultPlan.builder()
                .run(
                        RUN_ID,
                        RunFaults.builder()
                                .attempt(1, ConnectionFault.dropAfter(30))
                                .attempt(2, ConnectionFault.errorAfter(0, ErrorShape.CLOUD_INTERRUPTED_NO_SEQ))
                                .attempt(3, ConnectionFault.errorAfter(0, ErrorShape.CLOUD_INTERRUPTED_NO_SEQ))
                                .build())
                .build();
        String topic = broker.uniqueTopic("ended-error-frames");
        try (LettaSim letta = LettaSim.builder()
                        .recordedRun(FIXTURE, LettaFixtures.sseBody(FIXTURE))
                        .faults(faults)
                        .start();
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            OneRun.record(letta.baseUrl(), broker.bootstrapServers(), topic, RUN_ID, log);

            assertEquals(expectedChunks(FIXTURE), log.chunks(RUN_ID));
            assertEquals(RecordType.RUN_FINISHED, log.types(RUN_ID).getLast());
        }
    }

    /** The fixture's stop_reason is its 385th data frame. */
    private static final int STOP_REASON_FRAME = 385;
}
