package dev.lsr.recorder.log.internal;

import dev.lsr.kernel.TransactionalErrors;
import dev.lsr.kernel.TransactionalErrors.Action;
import dev.lsr.kernel.TransactionalErrors.Call;
import dev.lsr.recorder.log.RunLogStartException;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoint-topic writes made at start, before the committers run (rebuilt checkpoints, tombstones,
 * the layout record): one transaction of the partition's own producer, so they stay atomic and are
 * fenced like every other write of the partition. Errors are classified by {@link dev.lsr.kernel.TransactionalErrors} as in
 * the committers: a timed-out commit is retried as is, an aborted transaction is sent again, until
 * the deadline; fenced or fatal errors, and the deadline, are start failures.
 */
final class StartupWrites {

    private static final Logger LOG = LoggerFactory.getLogger(StartupWrites.class);
    private static final Duration PAUSE = Duration.ofMillis(200);

    private StartupWrites() {}

    static void commit(
            Producer<byte[], byte[]> producer,
            PartitionId id,
            List<ProducerRecord<byte[], byte[]>> records,
            String what,
            Deadline deadline) {
        if (records.isEmpty()) {
            return;
        }
        Call call = Call.BEGIN;
        boolean commitPending = false;
        boolean abortPending = false;
        while (true) {
            try {
                if (!commitPending) {
                    if (abortPending) {
                        call = Call.ABORT;
                        producer.abortTransaction();
                        abortPending = false;
                    }
                    call = Call.BEGIN;
                    producer.beginTransaction();
                    abortPending = true;
                    call = Call.SEND;
                    records.forEach(producer::send);
                    call = Call.COMMIT;
                }
                producer.commitTransaction();
                return;
            } catch (RuntimeException e) {
                Action action = TransactionalErrors.classify(call, e);
                if (action == Action.FENCED || action == Action.FATAL || deadline.isOver()) {
                    throw new RunLogStartException(
                            "could not write " + what + " of " + id + ": " + TransactionalErrors.describe(e), e);
                }
                commitPending = action == Action.RETRY_CALL && call == Call.COMMIT;
                LOG.info("{}: writing {} is taking longer ({}), retrying", id, what, TransactionalErrors.describe(e));
                deadline.sleep(PAUSE);
            }
        }
    }
}
