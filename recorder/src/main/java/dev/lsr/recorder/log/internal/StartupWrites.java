package dev.lsr.recorder.log.internal;

import dev.lsr.recorder.log.RunLogStartException;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Checkpoint-topic writes made at start, before the committers run (rebuilt checkpoints, tombstones,
 * the layout record): one transaction of the partition's own producer, so they stay atomic and are
 * fenced like every other write of the partition. A failure is a start failure.
 */
final class StartupWrites {

    private StartupWrites() {
    }

    static void commit(Producer<byte[], byte[]> producer, PartitionId id, List<ProducerRecord<byte[], byte[]>> records,
                       String what) {
        if (records.isEmpty()) {
            return;
        }
        try {
            producer.beginTransaction();
            records.forEach(producer::send);
            producer.commitTransaction();
        } catch (RuntimeException e) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
            }
            throw new RunLogStartException("could not write " + what + " of " + id + ": " + KafkaErrors.describe(e), e);
        }
    }
}
