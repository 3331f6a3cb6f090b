package dev.lsr.recorder.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.LogLayout;
import dev.lsr.chunklog.UnreadableRecordException;
import dev.lsr.recorder.log.RunLogConfig;
import dev.lsr.recorder.log.RunLogStartException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The recorded partition count of the log ({@link LogLayout}, partition 0 of the checkpoint topic):
 * read at start and compared with the topics, written by the owner of partition 0 when missing (a
 * new log, or one created before the record existed).
 */
final class LayoutRecord {

    private static final byte[] KEY = LogLayout.KEY.getBytes(UTF_8);

    private LayoutRecord() {}

    /** The recorded layout; empty when none was written yet. Stops at the first one (it never changes). */
    static Optional<LogLayout> read(Consumer<byte[], byte[]> consumer, String checkpointTopic, Deadline deadline) {
        AtomicReference<LogLayout> found = new AtomicReference<>();
        PartitionReader.read(consumer, new TopicPartition(checkpointTopic, LogLayout.PARTITION), deadline, record -> {
            if (record.key() == null || !Arrays.equals(KEY, record.key()) || record.value() == null) {
                return true;
            }
            try {
                found.set(LogLayout.fromJson(record.value()));
            } catch (UnreadableRecordException e) {
                throw new RunLogStartException(
                        "the layout record of " + checkpointTopic + " (partition " + LogLayout.PARTITION + ", key "
                                + LogLayout.KEY + ") is unreadable: " + e.getMessage(),
                        e);
            }
            return false;
        });
        return Optional.ofNullable(found.get());
    }

    /** Refuses topics whose partition count is no longer the one the log was created with. */
    static void requireSamePartitions(LogLayout recorded, int partitions, RunLogConfig config) {
        if (recorded.partitions() != partitions) {
            throw new RunLogStartException("topic " + config.chunkTopic() + " has " + partitions
                    + " partitions but the log was created with " + recorded.partitions() + " partitions (recorded in "
                    + config.checkpointTopic() + ", partition " + LogLayout.PARTITION + ", key " + LogLayout.KEY
                    + "): a run's partition is its key's hash modulo that count, so its next records and checkpoint"
                    + " would land away from the ones it has. Kafka cannot remove partitions: record into a new"
                    + " --topic created with the partition count you want, and read the old topic for what it holds");
        }
    }

    static ProducerRecord<byte[], byte[]> record(String checkpointTopic, LogLayout layout) {
        return new ProducerRecord<>(checkpointTopic, LogLayout.PARTITION, KEY, layout.toJson());
    }
}
