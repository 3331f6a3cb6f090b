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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run asked for by id hours after it was recorded, once the start-up removed its checkpoint (a tombstone for
 * every run that ended longer ago than the window), gets nothing more in the log. It used to be recorded afresh:
 * Letta no longer streams a run that old (410), so a {@code run.expired} followed the run's {@code run.finished},
 * a second terminal record that told every reader the whole run was lost.
 *
 * <p>The front answers Letta's Run route with the run completed 5 hours ago and forwards its stream to letta-sim,
 * which streams it whole, until the stream has "expired": from then on it answers the stream route with Letta's
 * 410. The first recorder's clock runs 5 hours behind, so its checkpoint is older than the window when the second
 * recorder starts.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LongEndedRunAttachIT {

    private static final String FIXTURE = "01-simple-reply";
    private static final String RUN = Fixtures.runId(FIXTURE);
    private static final Instant ENDED = Instant.now().minus(Duration.ofHours(5));

    private final AtomicBoolean streamExpired = new AtomicBoolean();
    private final AtomicInteger runAnswersToRefuse = new AtomicInteger();

    @Test
    void aRunThatEndedBeforeTheWindowIsNotRecordedAgain(KafkaBroker broker) throws Exception {
        RunOutcome second = askedForAgainOnceItsCheckpointIsGone(broker, "long-ended", 0);

        assertEquals(RunOutcome.Kind.ENDED_LONG_AGO, second.kind(), "second recorder: " + second);
    }

    /**
     * The same, while Letta cannot show the Run object at first (503 for its first three asks): without it the
     * recorder cannot tell a new run from one recorded before the window, so it waits for Letta's answer. It used
     * to record the run afresh as soon as the Run GET failed, so the stream's 410 became a second terminal record.
     */
    @Test
    void aRunAskedForWhileLettaCannotShowItWaitsForItsRunObject(KafkaBroker broker) throws Exception {
        RunOutcome second = askedForAgainOnceItsCheckpointIsGone(broker, "long-ended-503", 3);

        assertEquals(RunOutcome.Kind.ENDED_LONG_AGO, second.kind(), "second recorder: " + second);
        assertEquals(0, runAnswersToRefuse.get(), "the Run object asked for until Letta showed it");
    }

    /**
     * Records the run with a recorder whose clock runs 5 hours behind, then asks a second recorder for it (Letta's
     * stream expired, its Run route refusing {@code refusedRunAnswers} times first); checks the log is as the first
     * recorder left it and returns the second recorder's outcome.
     */
    private RunOutcome askedForAgainOnceItsCheckpointIsGone(KafkaBroker broker, String name, int refusedRunAnswers)
            throws Exception {
        String topic = broker.uniqueTopic(name);
        try (LettaSim sim = LettaSim.builder()
                        .recordedRun(FIXTURE, LettaFixtures.sseBody(FIXTURE))
                        .start();
                SimFront front = new SimFront(sim.baseUrl(), this::completedLongAgo, path -> {});
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            RecorderConfig config = RecorderConfig.builder(front.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .partitions(1)
                    .watch(false)
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
                    .build();
            RunOutcome first = OneAttach.attachOnce(
                    config, Clock.offset(Clock.systemUTC(), Duration.ofHours(-5)), RUN, Duration.ZERO);
            assertEquals(RunOutcome.Kind.FINISHED, first.kind(), "first recorder: " + first);
            List<RecordType> recorded = log.catchUp().types(RUN);
            assertEquals(RecordType.RUN_FINISHED, recorded.getLast());

            streamExpired.set(true);
            runAnswersToRefuse.set(refusedRunAnswers);
            RunOutcome second = OneAttach.attachOnce(config, Clock.systemUTC(), RUN, Duration.ZERO);

            assertEquals(recorded, log.catchUp().types(RUN), "the run's log as the first recorder wrote it, once");
            return second;
        }
    }

    /** Letta's Run answer for a run completed 5 hours ago, and its 410 once the stream expired; null forwards. */
    private SimFront.Canned completedLongAgo(String path) {
        if (path.equals("/v1/runs/" + RUN) && runAnswersToRefuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return new SimFront.Canned(503, "application/json", "{\"detail\":\"Service Unavailable\"}");
        }
        if (path.equals("/v1/runs/" + RUN)) {
            String run = "{\"id\":\"" + RUN + "\",\"status\":\"completed\",\"background\":true,\"created_at\":\""
                    + ENDED.minusSeconds(30) + "\",\"completed_at\":\"" + ENDED + "\",\"stop_reason\":\"end_turn\"}";
            return new SimFront.Canned(200, "application/json", run);
        }
        if (streamExpired.get() && SimFront.isRunStream(path, RUN)) {
            return new SimFront.Canned(
                    410,
                    "application/json",
                    "{\"detail\":\"Run was created more than 3 hours ago, and is now expired.\"}");
        }
        return null;
    }
}
