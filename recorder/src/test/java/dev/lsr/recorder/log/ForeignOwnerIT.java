package dev.lsr.recorder.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.RunState;
import dev.lsr.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorder outside the fleet (started without {@code --fleet}) on a fleet's topic fences the member that holds a
 * partition each time it starts; the member takes the partition back through the group, fencing it in turn. Three
 * such losses within two minutes stop the member as fenced (exit 3), saying why, instead of the two fencing each
 * other for ever. The counterpart of {@link FleetTransactionTimeoutIT}: only a fencing by another producer counts.
 */
class ForeignOwnerIT {

    /** The membership's limit, as the operations guide states it: 3 losses within 2 minutes. */
    private static final int FOREIGN_LOSSES = 3;

    @TempDir
    Path dataDir;

    @Test
    void aMemberFencedThreeTimesByARecorderOutsideTheFleetStopsAsFenced() throws Exception {
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().dataDir(dataDir).port(0).start()) {
            String topic = "foreign";
            RunLogConfig alone = RunLogConfig.builder(broker.bootstrapServers())
                    .chunkTopic(topic)
                    .partitions(1)
                    .replicationFactor((short) 1)
                    .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                    .build();
            RunLogConfig member = alone.toBuilder().groupId("fleet-foreign").build();
            AtomicInteger takes = new AtomicInteger();
            try (RunLog fleet = KafkaRunLog.create(member, new CountingListener(), Clock.systemUTC())) {
                fleet.whenOwnershipChanges(new CountingTakes(takes));
                fleet.start();
                Await.until(() -> fleet.owns("run-a"), "the partition taken");
                long seq = 0;
                for (int fencing = 1; fencing <= FOREIGN_LOSSES; fencing++) {
                    int takesBefore = takes.get();
                    try (RunLog outsider = KafkaRunLog.create(alone, new CountingListener(), Clock.systemUTC())) {
                        outsider.start();
                    }
                    try {
                        fleet.append(Records.chunk("run-a", ++seq), RunState.ACTIVE);
                        fleet.flush();
                    } catch (RunLogException expected) {
                        // fenced: the partition is lost, its record dropped uncommitted
                    }
                    if (fencing < FOREIGN_LOSSES) {
                        Await.until(
                                () -> takes.get() > takesBefore && fleet.owns("run-a"),
                                "the partition taken back after fencing " + fencing);
                    }
                }
                Await.until(() -> fleet.failure().isPresent(), "the member stops");
                RunLogFailure failure = fleet.failure().orElseThrow();
                assertEquals(RunLogFailure.Kind.FENCED, failure.kind(), failure.message());
                assertTrue(failure.message().contains("outside fleet fleet-foreign"), failure.message());
            }
        }
    }

    private record CountingTakes(AtomicInteger takes) implements OwnershipListener {
        @Override
        public void assigned(Set<Integer> partitions, Collection<Checkpoint> activeRuns) {
            takes.incrementAndGet();
        }

        @Override
        public void revoking(Set<Integer> partitions) {}

        @Override
        public void offered(String runId, String mode) {}
    }
}
