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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run Letta still calls active after the recorder gave it up ({@code run.abandoned}: a stuck run, which Letta
 * Cloud lists as running for days) is not recorded a second time by a recorder started hours later. The watcher
 * lists such a run at every round; only its checkpoint says its log has ended. The start-up removes the
 * checkpoints of runs ended longer ago than the catch-up window, and before it kept this one, the next recorder
 * attached the run afresh: a second terminal record after the first (and a second {@code run.attached} where a stream opened), which the
 * record format rules out ("nothing is written for a run after its terminal record").
 *
 * <p>Letta here lists the run as running for the whole test and answers its stream opens 503 (Redis lost), so the first
 * recorder abandons it after the abandon time; that recorder's clock runs 5 hours behind, so its checkpoint is older than the window (3 hours and a margin) when
 * the second recorder starts.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AbandonedRunRestartIT {

    private static final String FIXTURE = "02-tool-call-two-steps";
    private static final String RUN = Fixtures.runId(FIXTURE);

    @Test
    void aRunAbandonedHoursAgoIsNotAttachedAgain(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("abandoned-restart");
        try (LettaSim sim = LettaSim.builder()
                        .recordedRun(FIXTURE, LettaFixtures.sseBody(FIXTURE))
                        // a frame every 10 s: Letta says running for minutes, longer than the test
                        .pace(Duration.ofSeconds(10))
                        .start();
                SimFront redisLost = new SimFront(
                        sim.baseUrl(), path -> SimFront.isRunStream(path, RUN) ? REDIS_REQUIRED : null, path -> {});
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            RecorderConfig config = RecorderConfig.builder(redisLost.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .partitions(1)
                    .agentIds(List.of("agent-watching-nobody"))
                    .abandonAfter(Duration.ofSeconds(1))
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
                    .build();

            RunOutcome first = OneAttach.attachOnce(
                    config, Clock.offset(Clock.systemUTC(), Duration.ofHours(-5)), RUN, Duration.ZERO);
            assertEquals(RunOutcome.Kind.ABANDONED, first.kind(), "first recorder: " + first);
            assertEquals("running", first.detail(), "abandoned while Letta said the run was running");

            RunOutcome second = OneAttach.attachOnce(config, Clock.systemUTC(), RUN, Duration.ZERO);
            assertEquals(RunOutcome.Kind.ALREADY_RECORDED, second.kind(), "second recorder: " + second);

            // no stream ever opened, so no run.attached: the run's log is its one terminal record, written once
            assertEquals(List.of(RecordType.RUN_ABANDONED), log.catchUp().types(RUN));
        }
    }

    private static final SimFront.Canned REDIS_REQUIRED = new SimFront.Canned(
            503,
            "application/json",
            "{\"detail\":\"Background streaming requires Redis to be running. Please ensure Redis is properly"
                    + " configured.\"}");
}
