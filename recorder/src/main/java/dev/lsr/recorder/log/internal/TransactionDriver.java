package dev.lsr.recorder.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.recorder.log.RunLogListener;
import dev.lsr.recorder.log.internal.KafkaErrors.Action;
import dev.lsr.recorder.log.internal.KafkaErrors.Call;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits batches of one partition in transactions: begin, send the records and one checkpoint per
 * touched run, commit. On a retriable error it aborts and sends the same batch again after a backoff
 * (a timed-out commit or abort is retried as is); on a fatal one it throws. Used by one thread.
 */
final class TransactionDriver {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionDriver.class);

    private final Producer<byte[], byte[]> producer;
    private final PartitionId id;
    private final OversizeGuard guard;
    private final PendingQueue queue;
    private final RunLogListener listener;
    private final Clock clock;
    private final Backoff initialBackoff;
    private final OutageLog outage;
    private boolean abortPending;
    private boolean commitPending;
    private Throwable lastError;

    /** How a batch got committed. */
    record Result(int attempts, Duration transactionTime) {
    }

    /** The log abandoned the batch while closing. */
    static final class Abandoned extends Exception {
        private static final long serialVersionUID = 1L;
    }

    TransactionDriver(Producer<byte[], byte[]> producer, PartitionId id, OversizeGuard guard, PendingQueue queue,
                      RunLogListener listener, Clock clock, Backoff initialBackoff) {
        this.producer = producer;
        this.id = id;
        this.guard = guard;
        this.queue = queue;
        this.listener = listener;
        this.clock = clock;
        this.initialBackoff = initialBackoff;
        this.outage = new OutageLog(id, clock, listener);
    }

    Result commit(Batch batch) throws PartitionFailedException, Abandoned, InterruptedException {
        Backoff backoff = initialBackoff;
        int attempts = 0;
        while (true) {
            Call call = Call.COMMIT;
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            Instant began = clock.instant();
            try {
                if (!commitPending) {
                    if (abortPending) {
                        call = Call.ABORT;
                        producer.abortTransaction();
                        abortPending = false;
                        listener.transactionAborted(id.partition(), lastError);
                    }
                    call = Call.BEGIN;
                    attempts++;
                    producer.beginTransaction();
                    abortPending = true;
                    call = Call.SEND;
                    send(batch, sends);
                    call = Call.COMMIT;
                }
                producer.commitTransaction();
                abortPending = false;
                commitPending = false;
                outage.succeeded();
                return new Result(attempts, Duration.between(began, clock.instant()));
            } catch (RuntimeException e) {
                if (queue.isAbandoned()) {
                    throw new Abandoned();
                }
                Action action = KafkaErrors.classify(call, e);
                switch (action) {
                    case FENCED, FATAL -> throw new PartitionFailedException(KafkaErrors.failure(action, id, e));
                    case RETRY_CALL -> commitPending = call == Call.COMMIT;
                    case ABORT_AND_RETRY -> {
                        commitPending = false;
                        abortPending = true;
                        rejectRefusedRecords(batch, sends);
                    }
                }
                lastError = e;
                outage.failed(e, backoff.current());
                if (!queue.pause(backoff.current())) {
                    throw new Abandoned();
                }
                backoff = backoff.next();
            }
        }
    }

    private void send(Batch batch, List<Future<RecordMetadata>> sends) {
        for (Pending pending : batch.items()) {
            sends.add(producer.send(pending.toSend()));
        }
        for (Checkpoint checkpoint : batch.checkpoints().values()) {
            producer.send(new ProducerRecord<>(id.checkpointTopic(), id.partition(),
                    checkpoint.runId().getBytes(UTF_8), checkpoint.toJson()));
        }
    }

    /** A record Kafka refused as too large (the estimate missed) becomes its rejection, so the retry can pass. */
    private void rejectRefusedRecords(Batch batch, List<Future<RecordMetadata>> sends) {
        for (int i = 0; i < sends.size() && i < batch.size(); i++) {
            Future<RecordMetadata> send = sends.get(i);
            if (send.state() == Future.State.FAILED && (send.exceptionNow() instanceof RecordTooLargeException
                    || send.exceptionNow() instanceof RecordBatchTooLargeException)) {
                Pending refused = batch.get(i);
                int size = Math.max(refused.guardBytes(), guard.limitBytes() + 1);
                var rejection = guard.rejection(refused.record(), size);
                batch.replace(i, refused.replacedBy(rejection, id));
                LOG.warn("run {}: Kafka refused the record at position {} as too large ({}); replaced it by {}",
                        refused.record().runId(), refused.record().position(), send.exceptionNow().getMessage(),
                        rejection.type().cloudEventType());
                listener.recordRejected(refused.record().runId(), refused.record().position(), refused.guardBytes(),
                        guard.limitBytes());
            }
        }
    }
}
