package dev.lsr.recorder.log;

import static dev.lsr.recorder.log.Records.chunk;
import static dev.lsr.recorder.log.TwoPartitionRuns.runIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.Position;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a fleet, a partition whose producer cannot go on (here: its transactional id denied, then allowed again) is
 * given up and taken again by its member, verified by the group like a lost one, and its runs continue from their
 * checkpoints; a run whose records were all dropped uncommitted (no checkpoint to continue from) is offered to the
 * fleet. It counts as stopped until it is taken again. Before, it stayed assigned and stopped: no member recorded
 * its runs until a rebalance, and the stopped-partitions gauge (readiness) stayed up even after it moved.
 */
class FleetPartitionStopIT {

    @TempDir
    Path dataDir;

    @Test
    void aStoppedPartitionIsTakenAgainOnceItsProducerCanGoOn() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .dataDir(dataDir)
                .port(0)
                .withAcls()
                .start()) {
            String topic = "fleetstop";
            RunLogConfig config = RunLogConfig.builder(broker.bootstrapServers())
                    .chunkTopic(topic)
                    .partitions(2)
                    .replicationFactor((short) 1)
                    .groupId("fleet-stop")
                    .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                    .build();
            String healthy = runIn(0, 0);
            String doomed = runIn(1, 0);
            String fresh = runIn(1, 1);
            StopListener listener = new StopListener();
            Assignments assignments = new Assignments();
            try (RunLog log = KafkaRunLog.create(config, listener, Clock.systemUTC())) {
                log.whenOwnershipChanges(assignments);
                log.start();
                Await.until(() -> log.owns(healthy) && log.owns(doomed), "both partitions taken");
                log.append(chunk(healthy, 1), RunState.ACTIVE);
                log.append(chunk(doomed, 1), RunState.ACTIVE);
                log.flush();
                int takesBefore = assignments.takesOf(1);

                String transactionalId = TopicConventions.transactionalId(topic, 1);
                TransactionalIdAcls.deny(broker.bootstrapServers(), transactionalId);
                // a run with nothing committed yet: no checkpoint tells the next take about it
                log.append(chunk(fresh, 1), RunState.ACTIVE);
                log.append(chunk(doomed, 2), RunState.ACTIVE);
                Await.until(() -> listener.stopped.get() == 1, "partition 1 stops");
                Await.until(() -> assignments.revoked.contains(Set.of(1)), "partition 1 given up");
                assertEquals(
                        Set.of(1),
                        log.stoppedPartitions().keySet(),
                        "given up, but nobody records it yet: still stopped (the gauge, readiness)");
                assertEquals(0, listener.released.get());
                TransactionalIdAcls.allowAgain(broker.bootstrapServers(), transactionalId);

                Await.until(() -> assignments.takesOf(1) > takesBefore, "partition 1 taken again");
                assertTrue(
                        assignments.continued.contains(doomed),
                        "the stopped partition's run continues from its checkpoint: " + assignments.continued);
                log.append(chunk(doomed, 2), RunState.ACTIVE);
                log.append(chunk(healthy, 2), RunState.ACTIVE);
                log.flush();
                assertEquals(
                        Position.ofSeq(2), log.checkpoint(doomed).orElseThrow().lastPosition());
                assertEquals(
                        Position.ofSeq(2), log.checkpoint(healthy).orElseThrow().lastPosition());
                Await.until(
                        () -> assignments.offered.contains(fresh),
                        "the run whose only record was dropped uncommitted is offered to the fleet");
                assertEquals(Map.of(), log.stoppedPartitions());
                assertEquals(1, listener.released.get(), "the stopped partition is reported released once");
                assertTrue(log.failure().isEmpty(), "the log goes on: " + log.failure());
            }
        }
    }

    /**
     * A member the broker refuses its group (an ACL here; a shared {@code group.instance.id} is another case) can never
     * be assigned a partition: it stops its log, so the recorder fails and says why, instead of running with nothing
     * to record and every readiness check passing while the runs go unrecorded.
     */
    @Test
    void aMemberRefusedItsGroupStopsItsLogInsteadOfWaitingForever() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .dataDir(dataDir)
                .port(0)
                .withAcls()
                .start()) {
            String group = "fleet-refused";
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createAcls(List.of(new AclBinding(
                                new ResourcePattern(ResourceType.GROUP, group, PatternType.LITERAL),
                                new AccessControlEntry(
                                        "User:ANONYMOUS", "*", AclOperation.ALL, AclPermissionType.DENY))))
                        .all()
                        .get();
            }
            RunLogConfig config = RunLogConfig.builder(broker.bootstrapServers())
                    .chunkTopic("fleetrefused")
                    .partitions(2)
                    .replicationFactor((short) 1)
                    .groupId(group)
                    .startTimeout(Duration.ofSeconds(5))
                    .build();
            try (RunLog log = KafkaRunLog.create(config, new StopListener(), Clock.systemUTC())) {
                log.start();
                Await.until(() -> log.failure().isPresent(), "the log stops");
                RunLogFailure failure = log.failure().orElseThrow();
                assertEquals(RunLogFailure.Kind.FATAL, failure.kind());
                assertTrue(failure.message().contains(group), failure.message());
            }
        }
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

    private static final class Assignments implements OwnershipListener {
        final List<Set<Integer>> taken = new CopyOnWriteArrayList<>();
        final List<String> continued = new CopyOnWriteArrayList<>();
        final List<Set<Integer>> revoked = new CopyOnWriteArrayList<>();
        final List<String> offered = new CopyOnWriteArrayList<>();

        @Override
        public void assigned(Set<Integer> partitions, Collection<Checkpoint> activeRuns) {
            taken.add(Set.copyOf(partitions));
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

        int takesOf(int partition) {
            return (int) taken.stream().filter(p -> p.contains(partition)).count();
        }
    }

    /** The {@code nth} run id (from 0) of {@code partition}. */
}
