package dev.lsr.recorder.log.internal;

import dev.lsr.kernel.TransactionalErrors;
import dev.lsr.kernel.TransactionalErrors.Action;
import dev.lsr.kernel.TransactionalErrors.Call;
import dev.lsr.recorder.log.RunLogStartException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoint-topic writes made at start, before the committers run (rebuilt checkpoints, tombstones,
 * the layout record): one transaction of the partition's own producer, so they stay atomic and are
 * fenced like every other write of the partition. Errors are classified by {@link dev.lsr.kernel.TransactionalErrors} as in
 * the committers: a timed-out commit is retried as is, an aborted transaction is sent again, until
 * the deadline; fenced or fatal errors, and the deadline, are start failures. As in the committers, the commit
 * waits for every record's acknowledgement first ({@link Acknowledgements}).
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
                    List<Future<RecordMetadata>> sends =
                            records.stream().map(producer::send).toList();
                    producer.flush();
                    Acknowledgements.await(sends, deadline);
                    call = Call.COMMIT;
                }
                producer.commitTransaction();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunLogStartException("interrupted while writing " + what + " of " + id, e);
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
