package dev.lsr.recorder.log;

import static dev.lsr.recorder.log.Records.abandoned;
import static dev.lsr.recorder.log.Records.chunk;
import static dev.lsr.recorder.log.Records.expired;
import static dev.lsr.recorder.log.Records.finished;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.RunState;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.RealKafka;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A long-lived log removes the checkpoints of runs that ended longer ago than {@code tombstoneAfter} while it runs,
 * by the start-up's rule, not only at its next start: without it the store, the compacted topic and the next start's
 * tombstone transaction grew with every run recorded since the last restart.
 */
@RealKafka
class RuntimeTombstonesIT {

    /** Short enough for a round (a third of it, at least a second) to come within the test. */
    private static final Duration TOMBSTONE_AFTER = Duration.ofSeconds(3);

    private static final Duration ROUNDS = Duration.ofSeconds(30);

    private static RunLogConfig config(KafkaBroker broker, String topic, ActiveRunListing listing) {
        return RunLogConfig.builder(broker.bootstrapServers())
                .chunkTopic(topic)
                .partitions(2)
                .replicationFactor((short) 1)
                .tombstoneAfter(TOMBSTONE_AFTER)
                .activeRuns(listing)
                .build();
    }

    @Test
    void aRunThatEndedLongerAgoLosesItsCheckpointWhileTheLogRuns(KafkaBroker broker) {
        String topic = broker.uniqueTopic("runtime-tombstones");
        try (RunLog log = KafkaRunLog.create(
                config(broker, topic, () -> Set.of("run-listed", "run-active")),
                RunLogListener.NONE,
                Clock.systemUTC())) {
            log.start();
            for (String run : Set.of("run-done", "run-listed", "run-abandoned", "run-expired", "run-active")) {
                log.append(chunk(run, 1), RunState.ACTIVE);
            }
            log.append(finished("run-done", 1), RunState.FINISHED);
            log.append(finished("run-listed", 1), RunState.FINISHED);
            log.append(abandoned("run-abandoned", 1), RunState.ABANDONED);
            log.append(expired("run-expired", 1), RunState.EXPIRED);
            log.flush();

            await("the finished run's checkpoint removed, without a restart")
                    .atMost(ROUNDS)
                    .until(() -> log.checkpoint("run-done").isEmpty());
            assertEquals(Set.of("run-done"), tombstoned(broker, topic));

            assertEquals(
                    RunState.FINISHED,
                    log.checkpoint("run-listed").orElseThrow().state(),
                    "Letta still lists it as active");
            assertEquals(
                    RunState.ABANDONED,
                    log.checkpoint("run-abandoned").orElseThrow().state(),
                    "Letta may still list an abandoned run");
            assertEquals(
                    RunState.EXPIRED,
                    log.checkpoint("run-expired").orElseThrow().state(),
                    "Letta may still list a run whose stream expired");
            assertEquals(Set.of("run-active"), log.activeRuns().keySet(), "an active run keeps its checkpoint");

            // the committers go on recording after their tombstone transactions
            log.append(chunk("run-active", 2), RunState.ACTIVE);
            log.flush();
            assertEquals(
                    2, log.checkpoint("run-active").orElseThrow().lastPosition().seq());
        }
        assertEquals(Set.of("run-done"), tombstoned(broker, topic));
    }

    @Test
    void noCheckpointIsRemovedWhileLettaCannotSayWhichRunsItStillLists(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("runtime-tombstones-unlisted");
        AtomicBoolean lettaUp = new AtomicBoolean(false);
        AtomicBoolean asked = new AtomicBoolean(false);
        ActiveRunListing listing = () -> {
            asked.set(true);
            if (!lettaUp.get()) {
                throw new java.io.IOException("connection refused");
            }
            return Set.of();
        };
        try (RunLog log = KafkaRunLog.create(config(broker, topic, listing), RunLogListener.NONE, Clock.systemUTC())) {
            log.start();
            log.append(chunk("run-done", 1), RunState.ACTIVE);
            log.append(finished("run-done", 1), RunState.FINISHED);
            log.flush();

            // rounds that cannot list keep the checkpoint, however old it gets
            Thread.sleep(TOMBSTONE_AFTER.multipliedBy(2).toMillis());
            await().atMost(ROUNDS).untilTrue(asked);
            asked.set(false);
            await().atMost(ROUNDS).untilTrue(asked);
            assertEquals(
                    RunState.FINISHED, log.checkpoint("run-done").orElseThrow().state());
            assertEquals(Set.of(), tombstoned(broker, topic));

            lettaUp.set(true);
            await("removed at the first round that can list")
                    .atMost(ROUNDS)
                    .until(() -> log.checkpoint("run-done").isEmpty());
        }
        assertEquals(Set.of("run-done"), tombstoned(broker, topic));
    }

    private static Set<String> tombstoned(KafkaBroker broker, String topic) {
        Set<String> tombstoned = new HashSet<>();
        Topics.readCommitted(broker.bootstrapServers(), topic + ".checkpoints").stream()
                .filter(r -> r.value() == null)
                .forEach(r -> tombstoned.add(new String(r.key(), UTF_8)));
        assertTrue(tombstoned.stream().allMatch(run -> run.startsWith("run-")), tombstoned.toString());
        return tombstoned;
    }
}
