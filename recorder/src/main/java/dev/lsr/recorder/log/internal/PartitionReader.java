package dev.lsr.recorder.log.internal;

import dev.lsr.recorder.log.RunLogStartException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Reads partitions at start with the restore consumer (read_committed): from the beginning up to the end
 * offsets captured first, which for read_committed are the last stable offsets, so an open transaction of
 * another owner never holds the read up. The one read loop of the start: the checkpoint restore, the layout
 * record and the lost-checkpoint checks all read through it.
 */
final class PartitionReader {

    private static final Duration POLL = Duration.ofMillis(200);

    private PartitionReader() {}

    /**
     * Hands every committed record of {@code partition} to {@code onRecord} in offset order until it answers
     * false or the end is reached; false when it stopped early.
     */
    static boolean read(
            Consumer<byte[], byte[]> consumer,
            TopicPartition partition,
            Deadline deadline,
            Predicate<ConsumerRecord<byte[], byte[]>> onRecord) {
        return read(consumer, List.of(partition), partition.toString(), deadline, onRecord);
    }

    /**
     * Hands every committed record of {@code partitions} to {@code onRecord}, each partition's in offset order,
     * until it answers false or every end is reached; false when it stopped early.
     *
     * @param what what is read, for the error when the deadline passes first
     */
    static boolean read(
            Consumer<byte[], byte[]> consumer,
            Collection<TopicPartition> partitions,
            String what,
            Deadline deadline,
            Predicate<ConsumerRecord<byte[], byte[]>> onRecord) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = new HashMap<>(endOffsets(consumer, partitions, what, deadline));
        while (true) {
            try {
                ends.entrySet()
                        .removeIf(end -> consumer.position(end.getKey(), deadline.remaining()) >= end.getValue());
            } catch (TimeoutException e) {
                throw new RunLogStartException("could not read " + what + " within the start timeout", e);
            }
            if (ends.isEmpty()) {
                return true;
            }
            if (deadline.isOver()) {
                throw new RunLogStartException("could not read " + what + " within the start timeout");
            }
            for (ConsumerRecord<byte[], byte[]> record : poll(consumer, POLL)) {
                Long end = ends.get(new TopicPartition(record.topic(), record.partition()));
                if (end != null && record.offset() < end && !onRecord.test(record)) {
                    return false;
                }
            }
        }
    }

    /**
     * The end offsets of {@code partitions}, each of them, or a {@link RunLogStartException}. Kafka's
     * {@code endOffsets} asked with no time left answers an empty map, no error: taken as is, a read would count
     * every partition as read having read nothing (a restore that finds no run, so every run looks new).
     */
    static Map<TopicPartition, Long> endOffsets(
            Consumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions, String what, Deadline deadline) {
        return offsets(consumer::endOffsets, partitions, what, deadline);
    }

    /** The start offsets of {@code partitions}, each of them, or a {@link RunLogStartException} (as {@link #endOffsets}). */
    static Map<TopicPartition, Long> beginningOffsets(
            Consumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions, String what, Deadline deadline) {
        return offsets(consumer::beginningOffsets, partitions, what, deadline);
    }

    /** One offsets request of the start: time left asked first, an offset for every partition required after. */
    private static Map<TopicPartition, Long> offsets(
            BiFunction<Collection<TopicPartition>, Duration, Map<TopicPartition, Long>> request,
            Collection<TopicPartition> partitions,
            String what,
            Deadline deadline) {
        if (deadline.isOver()) {
            throw new RunLogStartException("could not read " + what + " within the start timeout (no time left)");
        }
        Map<TopicPartition, Long> answered;
        try {
            answered = request.apply(partitions, deadline.remaining());
        } catch (TimeoutException e) {
            throw new RunLogStartException("could not read " + what + " within the start timeout", e);
        }
        if (!answered.keySet().containsAll(partitions)) {
            throw new RunLogStartException("could not read " + what + " within the start timeout: Kafka gave no offsets"
                    + " for "
                    + partitions.stream().filter(p -> !answered.containsKey(p)).toList());
        }
        return answered;
    }

    /**
     * One poll of a read at start. The restore consumer never resets on its own ({@code auto.offset.reset=none}):
     * records deleted while a read runs ({@code deleteRecords}, a retention) fail the start instead of moving
     * the read past them, where a skipped checkpoint would make its run look new.
     */
    private static ConsumerRecords<byte[], byte[]> poll(Consumer<byte[], byte[]> consumer, Duration timeout) {
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
