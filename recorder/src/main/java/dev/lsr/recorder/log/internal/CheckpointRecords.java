package dev.lsr.recorder.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.CheckpointRebuild;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Checkpoint-topic records of a partition: a run's checkpoint, its tombstone, or the record of a rebuild. */
final class CheckpointRecords {

    static final byte[] REBUILD_KEY = CheckpointRebuild.KEY.getBytes(UTF_8);

    private CheckpointRecords() {}

    static ProducerRecord<byte[], byte[]> of(PartitionId id, Checkpoint checkpoint) {
        return new ProducerRecord<>(
                id.checkpointTopic(), id.partition(), checkpoint.runId().getBytes(UTF_8), checkpoint.toJson());
    }

    /** Written with the checkpoints rebuilt from the chunk log: which first offset of the partition they cover. */
    static ProducerRecord<byte[], byte[]> rebuild(PartitionId id, CheckpointRebuild rebuild) {
        return new ProducerRecord<>(id.checkpointTopic(), id.partition(), REBUILD_KEY, rebuild.toJson());
    }

    /** Compaction drops the run's checkpoints, then (after {@code delete.retention.ms}) this record too. */
    static ProducerRecord<byte[], byte[]> tombstone(PartitionId id, String runId) {
        return new ProducerRecord<>(id.checkpointTopic(), id.partition(), runId.getBytes(UTF_8), null);
    }
}
