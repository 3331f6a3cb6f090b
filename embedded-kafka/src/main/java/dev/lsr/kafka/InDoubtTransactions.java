package dev.lsr.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits for the transactions in doubt on a topic to be resolved. {@code commitTransaction} returns
 * once the transaction coordinator has logged the decision; the commit markers reach the partitions a
 * moment later, and until then a read_committed consumer stops at the transaction's first record (the
 * partition's last stable offset). A test that reads what a producer has just committed waits here
 * first, or it may read a partition short.
 */
public final class InDoubtTransactions {

    private static final Duration POLL = Duration.ofMillis(20);

    private InDoubtTransactions() {}

    /**
     * Returns once every transaction that wrote to {@code topic} before this call is committed or
     * aborted: each partition's last stable offset has reached the high watermark seen at the call.
     *
     * @throws IllegalStateException if that takes longer than {@code timeout} (a producer that died
     *     with an open transaction holds it until its {@code transaction.timeout.ms})
     */
    public static void awaitResolved(Admin admin, String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            Map<TopicPartition, OffsetSpec> partitions = partitions(admin, topic, timeout);
            Map<TopicPartition, Long> written = latest(admin, partitions, IsolationLevel.READ_UNCOMMITTED, timeout);
            while (true) {
                Map<TopicPartition, Long> stable = latest(admin, partitions, IsolationLevel.READ_COMMITTED, timeout);
                Map<TopicPartition, Long> inDoubt = written.entrySet().stream()
                        .filter(e -> stable.getOrDefault(e.getKey(), 0L) < e.getValue())
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> stable.getOrDefault(e.getKey(), 0L)));
                if (inDoubt.isEmpty()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("transactions on " + topic + " still in doubt after " + timeout
                            + ": last stable offsets " + inDoubt + " below high watermarks " + written);
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the transactions on " + topic, e);
        }
    }

    /** As {@link #awaitResolved(Admin, String, Duration)}, with a short-lived admin client. */
    public static void awaitResolved(String bootstrapServers, String topic, Duration timeout) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            awaitResolved(admin, topic, timeout);
        }
    }

    private static Map<TopicPartition, OffsetSpec> partitions(Admin admin, String topic, Duration timeout)
            throws InterruptedException {
        try {
            return admin
                    .describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic)
                    .partitions()
                    .stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe " + topic + ": " + e, e);
        }
    }

    private static Map<TopicPartition, Long> latest(
            Admin admin, Map<TopicPartition, OffsetSpec> partitions, IsolationLevel isolation, Duration timeout)
            throws InterruptedException {
        try {
            Map<TopicPartition, ListOffsetsResultInfo> offsets = admin.listOffsets(
                            partitions, new ListOffsetsOptions(isolation))
                    .all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return offsets.entrySet().stream()
                    .collect(Collectors.toMap(
                            Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot list the " + isolation + " offsets of " + partitions.keySet() + ": " + e, e);
        }
    }
}
