package dev.lsr.recorder.log;

import static dev.lsr.recorder.log.Records.chunk;
import static dev.lsr.recorder.log.TwoPartitionRuns.runIn;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.RunState;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Outside a fleet, a partition whose producer cannot go on (its transactional id denied, then allowed again) is given
 * up and taken again by the log itself, with the fleet's stop backoff, without a restart: its runs continue from their
 * checkpoints, a run whose records were all dropped uncommitted is offered to the recorder again, and every record
 * appended after the take is committed once. Before, it stayed stopped until the daemon restarted, and its runs went
 * unrecorded meanwhile (Letta keeps a run's stream only three hours).
 */
class PartitionRetakeAloneIT {

    /** The first stop waits 0.5 s; takes while the ACL still denies retry within seconds. */
    private static final Duration RETAKE_BOUND = Duration.ofSeconds(45);

    @TempDir
    Path dataDir;

    @Test
    void aStoppedPartitionIsTakenAgainWithoutARestartOnceItsProducerCanGoOn() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .dataDir(dataDir)
                .port(0)
                .withAcls()
                .start()) {
            String topic = "retake";
            RunLogConfig config = RunLogConfig.builder(broker.bootstrapServers())
                    .chunkTopic(topic)
                    .partitions(2)
                    .replicationFactor((short) 1)
                    .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                    .build();
            String healthy = runIn(0, 0);
            String doomed = runIn(1, 0);
            String fresh = runIn(1, 1);
            StopListener listener = new StopListener();
            Ownership ownership = new Ownership();
            try (RunLog log = KafkaRunLog.create(config, listener, Clock.systemUTC())) {
                log.whenOwnershipChanges(ownership);
                log.start();
                log.append(chunk(healthy, 1), RunState.ACTIVE);
                log.append(chunk(doomed, 1), RunState.ACTIVE);
                log.flush();

                String transactionalId = TopicConventions.transactionalId(topic, 1);
                TransactionalIdAcls.deny(broker.bootstrapServers(), transactionalId);
                // a run with nothing committed yet: no checkpoint tells the next take about it
                log.append(chunk(fresh, 1), RunState.ACTIVE);
                log.append(chunk(doomed, 2), RunState.ACTIVE);
                Await.until(() -> listener.stopped.get() == 1, "partition 1 stops");
                assertEquals(Set.of(1), log.stoppedPartitions().keySet());
                assertThrows(PartitionStoppedException.class, () -> log.append(chunk(doomed, 2), RunState.ACTIVE));
                TransactionalIdAcls.allowAgain(broker.bootstrapServers(), transactionalId);

                await("partition 1 taken again without a restart")
                        .atMost(RETAKE_BOUND)
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> log.stoppedPartitions().isEmpty());
                assertEquals(1, listener.released.get(), "the stopped partition is reported released once");
                assertTrue(ownership.revoked.contains(Set.of(1)), "its runs were stopped: " + ownership.revoked);
                assertTrue(
                        ownership.continued.contains(doomed),
                        "the run continues from its checkpoint: " + ownership.continued);
                Await.until(
                        () -> ownership.offered.contains(fresh),
                        "the run whose only record was dropped uncommitted is handed to the recorder again");

                RunSeqs.append(log, doomed, 2, 5);
                RunSeqs.append(log, fresh, 1, 3);
                RunSeqs.append(log, healthy, 2, 3);
                log.flush();
                RunSeqs.assertCommittedOnce(log, broker.bootstrapServers(), topic, doomed, 5);
                RunSeqs.assertCommittedOnce(log, broker.bootstrapServers(), topic, fresh, 3);
                RunSeqs.assertCommittedOnce(log, broker.bootstrapServers(), topic, healthy, 3);
                assertEquals(Map.of(), log.stoppedPartitions());
                assertTrue(log.failure().isEmpty(), "the log goes on: " + log.failure());
            }
        }
    }

    /**
     * While the producer still cannot go on, each take fails and is tried again with backoff: the first failure is
     * logged at ERROR, the next ones are not (logged once), and the take once allowed says so. Before, every failed
     * take logged an ERROR: an ACL left denied for an hour gave about 360 of them.
     */
    @Test
    void takesThatKeepFailingAreLoggedOnce() throws Exception {
        Logger runLogLog = (Logger) LoggerFactory.getLogger("dev.lsr.recorder.log.internal.TransactionalRunLog");
        Level levelBefore = runLogLog.getLevel();
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        runLogLog.addAppender(lines);
        runLogLog.setLevel(Level.DEBUG);
        Logger retakesLog = (Logger) LoggerFactory.getLogger("dev.lsr.recorder.log.internal.StandaloneRetakes");
        Level retakesLevelBefore = retakesLog.getLevel();
        retakesLog.addAppender(lines);
        retakesLog.setLevel(Level.DEBUG);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .dataDir(dataDir)
                .port(0)
                .withAcls()
                .start()) {
            String topic = "retake-denied";
            RunLogConfig config = RunLogConfig.builder(broker.bootstrapServers())
                    .chunkTopic(topic)
                    .partitions(2)
                    .replicationFactor((short) 1)
                    .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                    .build();
            String doomed = runIn(1, 0);
            StopListener listener = new StopListener();
            try (RunLog log = KafkaRunLog.create(config, listener, Clock.systemUTC())) {
                log.whenOwnershipChanges(new Ownership());
                log.start();
                log.append(chunk(doomed, 1), RunState.ACTIVE);
                log.flush();
                String transactionalId = TopicConventions.transactionalId(topic, 1);
                TransactionalIdAcls.deny(broker.bootstrapServers(), transactionalId);
                log.append(chunk(doomed, 2), RunState.ACTIVE);
                Await.until(() -> listener.stopped.get() == 1, "partition 1 stops");
                await("three takes failed while the ACL denies")
                        .atMost(RETAKE_BOUND)
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> failedTakes(lines) >= 3);
                TransactionalIdAcls.allowAgain(broker.bootstrapServers(), transactionalId);
                await("partition 1 taken again without a restart")
                        .atMost(RETAKE_BOUND)
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> log.stoppedPartitions().isEmpty());
                RunSeqs.append(log, doomed, 2, 3);
                log.flush();
                RunSeqs.assertCommittedOnce(log, broker.bootstrapServers(), topic, doomed, 3);
            }
        } finally {
            runLogLog.detachAppender(lines);
            runLogLog.setLevel(levelBefore);
            retakesLog.detachAppender(lines);
            retakesLog.setLevel(retakesLevelBefore);
        }
        List<ILoggingEvent> errors = lines.list.stream()
                .filter(e -> e.getLevel() == Level.ERROR)
                .filter(e -> e.getFormattedMessage().startsWith("could not take partitions"))
                .toList();
        assertEquals(1, errors.size(), () -> "failed takes logged at ERROR: " + errors);
        List<ILoggingEvent> retries = lines.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                .filter(e -> e.getFormattedMessage().contains("not taken again yet"))
                .toList();
        assertEquals(1, retries.size(), () -> "retries logged at INFO or above: " + retries);
        assertTrue(
                lines.list.stream().anyMatch(e -> e.getFormattedMessage().contains("taken after failed attempts")),
                "the take after the failures is logged");
    }

    private static long failedTakes(ListAppender<ILoggingEvent> lines) {
        return lines.list.stream()
                .filter(e -> e.getFormattedMessage().startsWith("could not take partitions"))
                .count();
    }

    private static final class StopListener implements RunLogListener {
        final AtomicInteger stopped = new AtomicInteger();
        final AtomicInteger released = new AtomicInteger();

        @Override
        public void partitionStopped(RunLogFailure failure) {
            stopped.incrementAndGet();
        }

        @Override
        public void stoppedPartitionReleased(int partition) {
            released.incrementAndGet();
        }
    }

    private static final class Ownership implements OwnershipListener {
        final List<String> continued = new CopyOnWriteArrayList<>();
        final List<Set<Integer>> revoked = new CopyOnWriteArrayList<>();
        final List<String> offered = new CopyOnWriteArrayList<>();

        @Override
        public void assigned(Set<Integer> partitions, Collection<Checkpoint> activeRuns) {
            activeRuns.forEach(c -> continued.add(c.runId()));
        }

        @Override
        public void revoking(Set<Integer> partitions) {
            revoked.add(Set.copyOf(partitions));
        }

        @Override
        public void offered(String runId, String mode) {
            offered.add(runId);
        }
    }

    /** The {@code nth} run id (from 0) of {@code partition}. */
}
