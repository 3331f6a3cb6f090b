package dev.lsr.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until a broker serves newly created partitions. The controller has created a topic before
 * the broker's metadata shows it; a client that starts at once can find the topic missing, meet
 * {@code NOT_LEADER_OR_FOLLOWER}, or (an idempotent producer) stall on
 * {@code OUT_OF_ORDER_SEQUENCE_NUMBER} retries until its delivery timeout.
 */
public final class PartitionLeaders {

    private static final long POLL_MILLIS = 20;

    private PartitionLeaders() {}

    /**
     * Returns once a ListOffsets for every partition succeeds.
     *
     * @throws TimeoutException if that does not happen within {@code timeout}
     */
    public static void await(Admin admin, Collection<TopicPartition> partitions, Duration timeout)
            throws InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> latest =
                partitions.stream().collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                admin.listOffsets(latest).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("partitions " + partitions + " have no leader: " + e.getMessage());
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
    }
}
