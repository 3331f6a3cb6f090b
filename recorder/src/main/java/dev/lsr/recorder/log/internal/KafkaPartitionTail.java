package dev.lsr.recorder.log.internal;

import dev.lsr.recorder.log.RunLogConfig;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * {@link PartitionTail} read with a short-lived read_committed consumer of the chunk partition (no group): from
 * the offset asked up to the last stable offset, stopping at the first committed record. Records of aborted
 * transactions, this recorder's own included, are never seen.
 */
final class KafkaPartitionTail implements PartitionTail {

    private static final Duration POLL = Duration.ofMillis(200);

    private final RunLogConfig config;
    private final TopicPartition partition;
    private final Duration timeout;

    KafkaPartitionTail(RunLogConfig config, TopicPartition partition, Duration timeout) {
        this.config = config;
        this.partition = partition;
        this.timeout = timeout;
    }

    @Override
    public boolean holdsCommittedRecordsFrom(long offset) {
        Deadline deadline = Deadline.after(timeout);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.restoreConsumer(config))) {
            consumer.assign(List.of(partition));
            Long end = consumer.endOffsets(List.of(partition), deadline.remaining())
                    .get(partition);
            if (end == null) {
                throw new TimeoutException("no end offset of " + partition + " within " + timeout);
            }
            if (end <= offset) {
                return false;
            }
            // records deleted since (a retention on the chunk topic, deleteRecords) are nobody's new commits
            Long start = consumer.beginningOffsets(List.of(partition), deadline.remaining())
                    .get(partition);
            long from = start == null ? offset : Math.max(offset, start);
            if (end <= from) {
                return false;
            }
            consumer.seek(partition, from);
            while (consumer.position(partition, deadline.remaining()) < end) {
                if (deadline.isOver()) {
                    throw new TimeoutException(
                            "could not read " + partition + " from " + offset + " within " + timeout);
                }
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(POLL);
                } catch (OffsetOutOfRangeException e) {
                    // deleted while read: asked again, from the partition's new start
                    throw new TimeoutException("records of " + partition + " were deleted while read", e);
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (record.offset() < end) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
