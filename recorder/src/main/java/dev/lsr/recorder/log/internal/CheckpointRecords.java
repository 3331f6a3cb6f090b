package dev.lsr.recorder.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.Checkpoint;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Checkpoint-topic records of a partition: a run's checkpoint, or its tombstone. */
final class CheckpointRecords {

    private CheckpointRecords() {}

    static ProducerRecord<byte[], byte[]> of(PartitionId id, Checkpoint checkpoint) {
        return new ProducerRecord<>(
                id.checkpointTopic(), id.partition(), checkpoint.runId().getBytes(UTF_8), checkpoint.toJson());
    }

    /** Compaction drops the run's checkpoints, then (after {@code delete.retention.ms}) this record too. */
    static ProducerRecord<byte[], byte[]> tombstone(PartitionId id, String runId) {
        return new ProducerRecord<>(id.checkpointTopic(), id.partition(), runId.getBytes(UTF_8), null);
    }
}
