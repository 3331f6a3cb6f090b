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
 * @param sizeBytes   upper bound of its serialized size
 * @param appendedAt  wall-clock time of the append (for latency stats)
 * @param queuedNanos monotonic time of the append (for the commit window)
 */
record Pending(ChunkLogRecord record, RunState stateAfter, ProducerRecord<byte[], byte[]> toSend, int sizeBytes,
               Instant appendedAt, long queuedNanos) {

    static Pending of(ChunkLogRecord record, RunState stateAfter, PartitionId id, Instant appendedAt) {
        ProducerRecord<byte[], byte[]> toSend = record.toProducerRecord(id.chunkTopic(), id.partition());
        return new Pending(record, stateAfter, toSend, OversizeGuard.estimate(toSend), appendedAt, System.nanoTime());
    }

    /** The same pending record with another record at its place (oversize replacement). */
    Pending replacedBy(ChunkLogRecord replacement, PartitionId id) {
        ProducerRecord<byte[], byte[]> toSend = replacement.toProducerRecord(id.chunkTopic(), id.partition());
        return new Pending(replacement, stateAfter, toSend, OversizeGuard.estimate(toSend), appendedAt, queuedNanos);
    }
}
