package dev.lsr.recorder.log.internal;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.RunState;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One appended record waiting for its transaction.
 *
 * @param record      what the caller appended (or its rejection, when it was too big)
 * @param stateAfter  the run's state once this record is committed
 * @param toSend      the record addressed to its chunk-topic partition
 * @param sizeBytes   what it adds to a record batch (a close upper bound, {@link RecordBytes}): counted
 *                    against the per-transaction batch bound and the pending-bytes budget
 * @param guardBytes  upper bound of its size as a request of its own ({@link OversizeGuard#estimate}):
 *                    only for deciding whether it fits at all
 * @param appendedAt  wall-clock time of the append (for latency stats)
 * @param queuedNanos monotonic time of the append (for the commit window)
 */
record Pending(
        ChunkLogRecord record,
        RunState stateAfter,
        ProducerRecord<byte[], byte[]> toSend,
        int sizeBytes,
        int guardBytes,
        Instant appendedAt,
        long queuedNanos) {

    static Pending of(ChunkLogRecord record, RunState stateAfter, PartitionId id, Instant appendedAt) {
        ProducerRecord<byte[], byte[]> toSend = record.toProducerRecord(id.chunkTopic(), id.partition());
        return new Pending(
                record,
                stateAfter,
                toSend,
                RecordBytes.inBatch(toSend),
                OversizeGuard.estimate(toSend),
                appendedAt,
                System.nanoTime());
    }

    /** The same pending record with another record at its place (oversize replacement). */
    Pending replacedBy(ChunkLogRecord replacement, PartitionId id) {
        ProducerRecord<byte[], byte[]> toSend = replacement.toProducerRecord(id.chunkTopic(), id.partition());
        return new Pending(
                replacement,
                stateAfter,
                toSend,
                RecordBytes.inBatch(toSend),
                OversizeGuard.estimate(toSend),
                appendedAt,
                queuedNanos);
    }
}
