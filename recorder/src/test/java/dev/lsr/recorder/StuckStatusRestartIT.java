package dev.lsr.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.chunklog.RecordType;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.Fixtures;
import dev.lsr.recorder.testing.OneAttach;
import dev.lsr.recorder.testing.SimFront;
import dev.lsr.sim.LettaSim;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run whose stream ended with its stop reason while Letta still calls it running (a status stuck after the stream,
 * which Letta Cloud shows for days for runs whose finaliser failed) is recorded once, however long after a recorder
 * starts again. Such a run's checkpoint says {@code FINISHED}; the start-up used to remove it with every checkpoint
 * of a run ended longer ago than the catch-up window, and the next recorder's watcher, which lists the run at every
 * round, attached it afresh: a second {@code run.attached} and a second terminal record after the first.
 *
 * <p>The front here answers Letta's Run and listing routes with the run as {@code running} and forwards its stream
 * to letta-sim, which streams it whole. The first recorder's clock runs 5 hours behind, so its checkpoint is older
 * than the window when the second recorder starts.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StuckStatusRestartIT {

    private static final String FIXTURE = "02-tool-call-two-steps";
    private static final String RUN = Fixtures.runId(FIXTURE);
    /** Ten poll intervals: the watcher's rounds after the attach, each listing the run as running. */
    private static final Duration ROUNDS = Duration.ofSeconds(1);

    @Test
    void aFinishedRunLettaStillListsAsRunningIsNotRecordedAgainHoursLater(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("stuck-status");
        try (LettaSim sim = LettaSim.builder()
                        .recordedRun(FIXTURE, LettaFixtures.sseBody(FIXTURE))
                        .start();
                SimFront stuck = new SimFront(sim.baseUrl(), StuckStatusRestartIT::stillRunning, path -> {});
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            RecorderConfig.Builder config = RecorderConfig.builder(stuck.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .partitions(1)
                    .pollInterval(Duration.ofMillis(100))
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(200));

            RunOutcome first = OneAttach.attachOnce(
                    config.watch(false).build(), Clock.offset(Clock.systemUTC(), Duration.ofHours(-5)), RUN, ROUNDS);
            assertEquals(RunOutcome.Kind.FINISHED, first.kind(), "first recorder: " + first);
            List<RecordType> recorded = log.catchUp().types(RUN);
            assertEquals(RecordType.RUN_ATTACHED, recorded.getFirst());
            assertEquals(RecordType.RUN_FINISHED, recorded.getLast());

            // the second recorder watches: its watcher lists the run as running at every round
            OneAttach.attachOnce(config.watch(true).build(), Clock.systemUTC(), RUN, ROUNDS);

            assertEquals(recorded, log.catchUp().types(RUN), "the run's log as the first recorder wrote it, once");
        }
    }

    /** Letta's Run and listing answers for a run whose status stayed {@code running}; null forwards to letta-sim. */
    private static SimFront.Canned stillRunning(String path) {
        String run = "{\"id\":\"" + RUN + "\",\"status\":\"running\",\"background\":true,\"created_at\":\""
                + Instant.now().minus(Duration.ofHours(6)) + "\",\"stop_reason\":null}";
        if (path.equals("/v1/runs/" + RUN)) {
            return new SimFront.Canned(200, "application/json", run);
        }
        if (path.equals("/v1/runs/")) {
            return new SimFront.Canned(200, "application/json", "[" + run + "]");
        }
        return null;
    }
}
