package dev.lsr.recorder.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.log.RunLogConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run offered to the fleet while the partition's new owner is still taking it (fencing, restoring: up to
 * seconds) is read by that owner, also when the intake partition held no offer in the lookback before. Found
 * by {@code FleetClassicProtocolIT} in CI: the first run ever offered to a partition was offered 16 ms after
 * a new member took it; the member's position, "the end" when the lookback found nothing, was only resolved
 * at its first poll after the take, past the offer, and no member ever recorded the run.
 */
@ExtendWith(KafkaBrokerExtension.class)
class IntakeTakeoverIT {

    @Test
    void aRunOfferedWhileTheNewOwnerTakesAnEmptyPartitionIsRead(KafkaBroker broker) throws Exception {
        // another member's watcher offers a run while this one is still taking the partition
        List<String> offered = offeredWhileTaking(broker, "takeover", take -> true, "run-offered");
        assertTrue(offered.contains("run-offered"), "the run offered during the take is read: " + offered);
    }

    /**
     * A take that fails (a fencing or restore that timed out) leaves the partition assigned but not held until it
     * is taken again; a run offered meanwhile is read once it is held, not dropped because it came too early. The
     * same holds for a partition given up because its committer lost its producer, whose stopped runs are offered
     * to it (the member itself, once it takes it again).
     */
    @Test
    void aRunOfferedWhileATakeIsRetriedIsReadOnceThePartitionIsHeld(KafkaBroker broker) throws Exception {
        // the first take fails; the run is offered before the retry takes the partition
        List<String> offered = offeredWhileTaking(broker, "retake", take -> take > 1, "run-early");
        assertTrue(offered.contains("run-early"), "the run offered before the retake is read: " + offered);
    }

    /**
     * A fleet member of one partition whose {@code take} offers {@code runId} through the intake topic, then
     * succeeds when {@code succeeds} accepts the take's number (1, 2, ...); the runs it is offered, once it has
     * taken the partition and read them or after 15 s.
     */
    private static List<String> offeredWhileTaking(KafkaBroker broker, String name, IntPredicate succeeds, String runId)
            throws Exception {
        RunLogConfig config = RunLogConfig.builder(broker.bootstrapServers())
                .chunkTopic(broker.uniqueTopic(name))
                .partitions(1)
                .groupId(broker.uniqueTopic("fleet"))
                .build();
        broker.createTopic(config.intakeTopic(), 1);
        CopyOnWriteArrayList<String> offered = new CopyOnWriteArrayList<>();
        Set<Integer> held = ConcurrentHashMap.newKeySet();
        AtomicInteger takes = new AtomicInteger();
        try (KafkaProducer<byte[], byte[]> fleet = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            GroupMembership.Owner owner = new GroupMembership.Owner() {
                @Override
                public boolean take(SortedSet<Integer> partitions) {
                    int take = takes.incrementAndGet();
                    if (take == 1) {
                        try {
                            fleet.send(new ProducerRecord<>(config.intakeTopic(), 0, runId.getBytes(UTF_8), null))
                                    .get(10, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    if (!succeeds.test(take)) {
                        return false;
                    }
                    held.addAll(partitions);
                    return true;
                }

                @Override
                public void give(SortedSet<Integer> partitions, String why) {
                    held.removeAll(partitions);
                }

                @Override
                public void unassigned(SortedSet<Integer> partitions) {}

                @Override
                public Set<Integer> held() {
                    return held;
                }

                @Override
                public void offered(String offeredRun, String mode) {
                    offered.add(offeredRun);
                }

                @Override
                public void rebalanced(int owned) {}

                @Override
                public void foreignOwner(int partition, String message) {}

                @Override
                public void membershipFailed(String message, Throwable cause) {
                    throw new AssertionError(message, cause);
                }
            };
            GroupMembership membership = new GroupMembership(config, owner, Clock.systemUTC()).start();
            try {
                assertTrue(membership.awaitFirstAssignment(Duration.ofSeconds(60)), "assigned");
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while ((held.isEmpty() || offered.isEmpty()) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(!held.isEmpty(), "taken after " + takes.get() + " take(s)");
                return List.copyOf(offered);
            } finally {
                membership.close(Duration.ofSeconds(30));
            }
        }
    }
}
