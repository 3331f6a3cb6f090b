package dev.lsr.recorder;

import static dev.lsr.recorder.testing.SessionHarness.expectedChunks;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.chunklog.RecordType;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.Fixtures;
import dev.lsr.recorder.testing.OneRun;
import dev.lsr.sim.ConnectionFault;
import dev.lsr.sim.FaultPlan;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.RunFaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The archived Letta server wraps its resume route in a cancellation check: once the run is cancelled, at the next
 * chunk it sends a {@code stop_reason: cancelled} of its own (no seq, never stored) instead of that chunk and ends
 * the response, without {@code [DONE]}. Read right after the run's stored {@code stop_reason}, that frame used to
 * be recorded as the run's next seq-less chunk: a second stop_reason in the log, in the place a stored frame (a
 * {@code usage_statistics}) would need. A seq-less frame of a stream that shows seqs is now appended only once
 * the stream confirms it (a later seq, or {@code [DONE]}); the resume replays the stored ones.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CancelledByReaderIT {

    private static final String FIXTURE = "06-cancelled-mid-way";
    private static final String RUN_ID = Fixtures.runId(FIXTURE);
    /** The fixture's stored stop_reason is its 25th data frame; [DONE] is the 26th. */
    private static final int STOP_REASON_FRAME = 25;

    @Test
    void theReadersOwnCancelledStopReasonIsNotRecorded(KafkaBroker broker) throws Exception {
        FaultPlan faults = FaultPlan.builder()
                .run(
                        RUN_ID,
                        RunFaults.builder()
                                .attempt(1, new ConnectionFault.CancelledByReader(STOP_REASON_FRAME))
                                .build())
                .build();
        String topic = broker.uniqueTopic("cancelled-by-reader");
        try (LettaSim letta = LettaSim.builder()
                        .recordedRun(FIXTURE, LettaFixtures.sseBody(FIXTURE))
                        .faults(faults)
                        .start();
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            OneRun.record(letta.baseUrl(), broker.bootstrapServers(), topic, RUN_ID, log);

            assertEquals(expectedChunks(FIXTURE), log.chunks(RUN_ID), "one stop_reason, the stored one");
            assertEquals(RecordType.RUN_FINISHED, log.types(RUN_ID).getLast());
        }
    }
}
