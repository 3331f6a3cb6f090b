package dev.lsr.recorder.log.internal;

import dev.lsr.recorder.log.RunLogStartException;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads one partition at start with the restore consumer (read_committed): from the beginning up to
 * the end offset captured first, which for read_committed is the last stable offset, so an open
 * transaction of another owner never holds the read up.
 */
final class PartitionReader {

    private static final Duration POLL = Duration.ofMillis(200);

    private PartitionReader() {}

    /**
     * Hands every committed record to {@code onRecord} in offset order until it answers false or the
     * end is reached; false when it stopped early.
     */
    static boolean read(
            Consumer<byte[], byte[]> consumer,
            TopicPartition partition,
            Deadline deadline,
            Predicate<ConsumerRecord<byte[], byte[]>> onRecord) {
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition), deadline.remaining()).get(partition);
        while (consumer.position(partition, deadline.remaining()) < end) {
            if (deadline.isOver()) {
                throw new RunLogStartException("could not read " + partition + " within the start timeout");
            }
            for (ConsumerRecord<byte[], byte[]> record : poll(consumer, POLL)) {
                if (record.offset() < end && !onRecord.test(record)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * One poll of a read at start. The restore consumer never resets on its own ({@code auto.offset.reset=none}):
     * records deleted while a read runs ({@code deleteRecords}, a retention) fail the start instead of moving
     * the read past them, where a skipped checkpoint would make its run look new.
     */
    static ConsumerRecords<byte[], byte[]> poll(Consumer<byte[], byte[]> consumer, Duration timeout) {
        try {
            return consumer.poll(timeout);
        } catch (OffsetOutOfRangeException e) {
            throw new RunLogStartException(
                    "records of " + e.offsetOutOfRangePartitions().keySet() + " were deleted while they were read at"
                            + " start (the read was at offsets "
                            + e.offsetOutOfRangePartitions().values()
                            + "): start again; a checkpoint partition that lost records is then refused (see"
                            + " --rebuild-checkpoints)",
                    e);
        }
    }

    /** True when the partition holds at least one committed record (stops at the first). */
    static boolean holdsRecords(Consumer<byte[], byte[]> consumer, TopicPartition partition, Deadline deadline) {
        return !read(consumer, partition, deadline, record -> false);
    }
}
