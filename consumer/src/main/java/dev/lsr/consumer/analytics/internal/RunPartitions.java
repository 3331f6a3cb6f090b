package dev.lsr.consumer.analytics.internal;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which chunk partition holds a run's records: the one its id hashes to over the partition count the log was created
 * with ({@link TopicConventions#partitionFor}), as the recorder writes them. That count is the log's {@link LogLayout}
 * record; a log without one (written before it existed, or not by the recorder) counts the chunk topic's partitions
 * when the job starts. A record of a run elsewhere (written by hand or by another tool, or by a producer hashing over
 * partitions added since) is not part of the run's log: the job keeps its states per partition, and folding it made a
 * second state of the run, and a second summary under its key in another summary partition.
 *
 * @param partitions the partition count runs are hashed over
 */
public record RunPartitions(int partitions) {

    private static final Logger log = LoggerFactory.getLogger(RunPartitions.class);

    public RunPartitions {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive");
        }
    }

    /** Whether a record of {@code runId} in chunk partition {@code partition} is away from the run's others. */
    boolean elsewhere(String runId, int partition) {
        return TopicConventions.partitionFor(runId, partitions) != partition;
    }

    /**
     * Reads the layout record of {@code chunkTopic}'s log (partition {@value LogLayout#PARTITION} of its checkpoint
     * topic, committed records only) with {@code reader}, a consumer without group; without one, or without the right
     * to read the checkpoint topic (one WARN line), counts the chunk topic's partitions. A layout record that cannot be read fails the start: the job would not know where runs are.
     */
    public static RunPartitions read(Consumer<byte[], byte[]> reader, String chunkTopic, Duration timeout) {
        String checkpointTopic = TopicConventions.checkpointTopic(chunkTopic);
        LogLayout layout;
        try {
            List<PartitionInfo> checkpoints = reader.partitionsFor(checkpointTopic, timeout);
            layout = checkpoints == null || checkpoints.isEmpty() ? null : layout(reader, checkpointTopic, timeout);
        } catch (AuthorizationException e) {
            // the job's credentials need not read the recorder's checkpoints: the topic's count stands in
            log.warn(
                    "cannot read the log's layout in {} ({}): runs are taken to be hashed over the partitions {} has"
                            + " now",
                    checkpointTopic,
                    e.getMessage(),
                    chunkTopic);
            layout = null;
        }
        return new RunPartitions(
                layout != null
                        ? layout.partitions()
                        : reader.partitionsFor(chunkTopic, timeout).size());
    }

    private static LogLayout layout(Consumer<byte[], byte[]> reader, String checkpointTopic, Duration timeout) {
        byte[] key = LogLayout.KEY.getBytes(UTF_8);
        TopicPartition tp = new TopicPartition(checkpointTopic, LogLayout.PARTITION);
        reader.assign(List.of(tp));
        try {
            reader.seekToBeginning(List.of(tp));
            long end = reader.endOffsets(List.of(tp), timeout).get(tp);
            while (reader.position(tp, timeout) < end) {
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    if (Arrays.equals(key, record.key()) && record.value() != null) {
                        return readable(record, checkpointTopic);
                    }
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
            throw new IllegalStateException(
                    "the layout record of " + checkpointTopic + " (partition " + LogLayout.PARTITION + ", key "
                            + LogLayout.KEY + ") is unreadable, so which partition holds a run's records is not"
                            + " known: " + e.getMessage(),
                    e);
        }
    }
}
