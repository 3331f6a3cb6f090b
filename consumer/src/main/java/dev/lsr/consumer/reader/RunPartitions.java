package dev.lsr.consumer.reader;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.LogLayout;
import dev.lsr.chunklog.TopicConventions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which chunk partition holds a run's records: the one its id hashes to over the partition count the log was created
 * with ({@link TopicConventions#partitionFor}), as the recorder writes them. That count is the log's {@link LogLayout}
 * record. Without one to read (a log written before it existed or not by the recorder, or a reader that may not read
 * the checkpoint topic) the count is not known ({@link #UNKNOWN}) and every record is folded where it is, as before:
 * the chunk topic's count today could differ from the log's if partitions were added, and would skip the records of
 * legitimate runs. A record of a run elsewhere (written by hand or by another tool, or by a producer hashing over
 * partitions added since) is not part of the run's log: the analytics job keeps its states per partition, and folding
 * it made a second state of the run, and a second summary under its key in another summary partition. The one rule
 * for the analytics job and the CLI's replays ({@link ChunkLogReader#replay(RunFilter, RunPartitions, ReplayListener,
 * ReplayProgress)}, and {@code follow}'s {@link ChunkLogReader#follow(RunFilter, RunPartitions, ReplayListener, boolean,
 * Runnable)}), which all skip such a record as a problem.
 *
 * @param partitions the partition count runs are hashed over; 0 when not known
 */
public record RunPartitions(int partitions) {

    private static final Logger log = LoggerFactory.getLogger(RunPartitions.class);

    /** The log's partition count is not known: no record is taken to be away from its run's. */
    public static final RunPartitions UNKNOWN = new RunPartitions(0);

    public RunPartitions {
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions must not be negative");
        }
    }

    /** Whether a record of {@code runId} in chunk partition {@code partition} is away from the run's others. */
    public boolean elsewhere(String runId, int partition) {
        return partitions > 0 && TopicConventions.partitionFor(runId, partitions) != partition;
    }

    /** Why a record of {@code runId} {@link #elsewhere} is skipped, one line (without where it was read). */
    public String whySkipped(String runId) {
        return "run " + runId + "'s records are in partition " + TopicConventions.partitionFor(runId, partitions)
                + " (its id hashed over the log's " + partitions + " partitions): this one is skipped, not part of the"
                + " run's log";
    }

    /**
     * Reads the layout record of {@code chunkTopic}'s log (partition {@value LogLayout#PARTITION} of its checkpoint
     * topic, committed records only) with {@code reader}, a consumer without group; {@link #UNKNOWN} without one, or
     * without the right to read the checkpoint topic (one line each). A layout record that cannot be read fails the
     * start: the job would not know where runs are.
     */
    public static RunPartitions read(Consumer<byte[], byte[]> reader, String chunkTopic, Duration timeout) {
        String checkpointTopic = TopicConventions.checkpointTopic(chunkTopic);
        LogLayout layout;
        try {
            List<PartitionInfo> checkpoints = reader.partitionsFor(checkpointTopic, timeout);
            layout = checkpoints == null || checkpoints.isEmpty() ? null : layout(reader, checkpointTopic, timeout);
        } catch (AuthorizationException e) {
            log.warn(
                    "cannot read the log's layout in {} ({}): a record in another partition than its run's is folded"
                            + " where it is",
                    checkpointTopic,
                    e.getMessage());
            return UNKNOWN;
        }
        if (layout == null) {
            log.info(
                    "no layout record in {}: a record in another partition than its run's is folded where it is",
                    checkpointTopic);
            return UNKNOWN;
        }
        List<PartitionInfo> chunkPartitions = reader.partitionsFor(chunkTopic, timeout);
        if (chunkPartitions != null && !chunkPartitions.isEmpty() && layout.partitions() > chunkPartitions.size()) {
            // partitions are never removed: the chunk topic was created again with fewer beside the old checkpoints
            log.warn(
                    "the layout record in {} says {} partitions, but {} has {}: not this topic's layout; a record in"
                            + " another partition than its run's is folded where it is",
                    checkpointTopic,
                    layout.partitions(),
                    chunkTopic,
                    chunkPartitions.size());
            return UNKNOWN;
        }
        return new RunPartitions(layout.partitions());
    }

    private static LogLayout layout(Consumer<byte[], byte[]> reader, String checkpointTopic, Duration timeout) {
        byte[] key = LogLayout.KEY.getBytes(UTF_8);
        TopicPartition tp = new TopicPartition(checkpointTopic, LogLayout.PARTITION);
        reader.assign(List.of(tp));
        try {
            reader.seekToBeginning(List.of(tp));
            long end = reader.endOffsets(List.of(tp), timeout).get(tp);
            long position = reader.position(tp, timeout);
            long lastProgress = System.nanoTime();
            while (position < end) {
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    if (Arrays.equals(key, record.key()) && record.value() != null) {
                        return readable(record, checkpointTopic);
                    }
                }
                long now = reader.position(tp, timeout);
                if (now > position) {
                    position = now;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > timeout.toNanos()) {
                    // the broker went away mid-read: a timeout, as any other read of Kafka that gets no answer
                    throw new TimeoutException("reading the layout record of " + checkpointTopic + " made no progress"
                            + " for " + timeout.toSeconds() + " s (at offset " + position + " of " + end + ")");
                }
            }
            return null;
        } finally {
            reader.assign(List.of());
        }
    }

    private static LogLayout readable(ConsumerRecord<byte[], byte[]> record, String checkpointTopic) {
        try {
            return LogLayout.fromJson(record.value());
        } catch (RuntimeException e) {
            throw new UnreadableLayoutException(
                    "the layout record of " + checkpointTopic + " (partition " + LogLayout.PARTITION + ", key "
                            + LogLayout.KEY + ") is unreadable, so which partition holds a run's records is not"
                            + " known: " + e.getMessage(),
                    e);
        }
    }

    /** The log's layout record is there but cannot be read: which partition holds a run's records is not known. */
    public static final class UnreadableLayoutException extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        UnreadableLayoutException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
