package dev.lsr.recorder.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.kernel.Backoff;
import dev.lsr.kernel.OutageLog;
import dev.lsr.kernel.TransactionalErrors;
import dev.lsr.kernel.TransactionalErrors.Action;
import dev.lsr.kernel.TransactionalErrors.Call;
import dev.lsr.recorder.log.RunLogListener;
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
 * Commits batches of one partition in transactions: begin, send the records, one checkpoint per
 * touched run and the batch's tombstones ({@link Tombstones}), wait until Kafka acknowledged every one of them, commit. On a retriable error it aborts and
 * sends the same batch again after a backoff (a timed-out commit or abort is retried as is); when the
 * producer lost its state without being fenced it re-initialises the producer and sends the batch again;
 * on a fencing or a fatal error it throws, and an {@code INVALID_TXN_STATE} or {@code UNKNOWN_SERVER_ERROR} answer
 * to a commit of acknowledged records in a transaction younger than its timeout counts as a fencing (another
 * recorder's takeover racing the commit, {@link TransactionalErrors#mayBeTakeoverRace}; re-initialising would
 * fence it back). Used by one thread.
 *
 * <p>Why wait for the acknowledgements before {@code commitTransaction()}: Kafka 4.4's Sender decides
 * whether batches are incomplete before it takes the lock that picks its next request, so a commit landing
 * in between goes out as EndTxn before the transaction's records. Under transactions v2 the coordinator
 * then still sees the previous commit and answers {@code INVALID_TXN_STATE}, fatal in the client (the
 * system benchmark's "restart hang", {@code CommitRaceIT}). Once every record is acknowledged there is
 * nothing left to overtake.
 *
 * <p>The records go out at once: the driver {@code flush()}es the producer after sending the batch, so they do
 * not wait for {@code linger.ms} (5 ms by Kafka's default since 4.0) before the wait for their acknowledgements,
 * a delay every transaction paid before (measured in docs/benchmarks.md: 7.8 → 3.2 ms per transaction at
 * 2,000 chunks/s). The whole batch is in the producer then, so lingering would gather nothing more: it still
 * goes out in one request per partition. {@code flush()} returns once every record is acknowledged or failed,
 * bounded by {@code delivery.timeout.ms} (45 s by default, below the commit deadline); the acknowledgements are
 * then checked, with the commit deadline as a second bound.
 */
final class TransactionDriver {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionDriver.class);

    /** Re-initialisations in a row (no commit between) after which the partition gives up. */
    static final int MAX_REINITIALISATIONS = 5;

    private final PartitionProducer producer;
    private final PartitionId id;
    private final OversizeGuard guard;
    private final PendingQueue queue;
    private final RunLogListener listener;
    private final Clock clock;
    private final Backoff initialBackoff;
    private final OutageLog outage;
    private final Duration commitDeadline;
    private final Duration transactionTimeout;
    /**
     * False in a fleet: a producer that lost its state is never re-initialised in place there, because a member
     * that lost the partition (a zombie past its session timeout) would fence the new owner back and then
     * commit a batch built before the takeover. The partition is given up instead, and taken again only
     * through the group ({@code GroupMembership}), with its checkpoints restored.
     */
    private final boolean reinitialiseInPlace;

    /**
     * What tells, before and after a re-initialisation in place, whether another recorder committed to the
     * partition meanwhile: a lost state that a takeover explains as well must not fence the replacement back.
     */
    private final PartitionTail tail;
    /** The offset after the last chunk record this driver committed (or the partition's end when it started). */
    private long committedEnd;

    private boolean initPending;
    private boolean abortPending;
    private boolean commitPending;
    /** The producer must be re-initialised in place (for {@link #reinitialiseCause}) once the tail was checked. */
    private boolean reinitialisePending;
    /** Re-initialised: the tail is checked again once the new producer's {@code initTransactions} is through. */
    private boolean checkTailAfterInit;

    private RuntimeException reinitialiseCause;
    private Throwable lastError;

    /** How a batch got committed. */
    record Result(int attempts, Duration transactionTime) {}

    /** The log abandoned the batch while closing. */
    static final class Abandoned extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /** A driver over a producer that is never replaced, with the default timeouts (tests). */
    TransactionDriver(
            Producer<byte[], byte[]> producer,
            PartitionId id,
            OversizeGuard guard,
            PendingQueue queue,
            RunLogListener listener,
            Clock clock,
            Backoff initialBackoff) {
        this(
                new PartitionProducer(id, producer, ignored -> {
                    throw new IllegalStateException("this producer cannot be replaced");
                }),
                id,
                guard,
                queue,
                listener,
                clock,
                initialBackoff,
                Duration.ofMillis(KafkaClients.DEFAULT_TRANSACTION_TIMEOUT_MS),
                true,
                PartitionTail.NONE,
                0);
    }

    /**
     * @param transactionTimeout the producer's {@code transaction.timeout.ms}; the driver waits for
     *                           acknowledgements at most half of it
     * @param reinitialiseInPlace false in a fleet (see the field)
     * @param tail                what the chunk partition holds past this driver's commits
     * @param committedEnd        the chunk partition's end (read_committed) when the driver starts
     */
    TransactionDriver(
            PartitionProducer producer,
            PartitionId id,
            OversizeGuard guard,
            PendingQueue queue,
            RunLogListener listener,
            Clock clock,
            Backoff initialBackoff,
            Duration transactionTimeout,
            boolean reinitialiseInPlace,
            PartitionTail tail,
            long committedEnd) {
        this.producer = producer;
        this.tail = tail;
        this.committedEnd = committedEnd;
        this.reinitialiseInPlace = reinitialiseInPlace;
        this.transactionTimeout = transactionTimeout;
        this.commitDeadline = transactionTimeout.dividedBy(2);
        this.id = id;
        this.guard = guard;
        this.queue = queue;
        this.listener = listener;
        this.clock = clock;
        this.initialBackoff = initialBackoff;
        this.outage = new OutageLog(
                LOG,
                new OutageLog.Wording(
                        id + ":",
                        "transaction failed",
                        "retrying the same batch with backoff until it commits",
                        "committing again"),
                clock);
    }

    /**
     * Commits the batch, retrying until it commits, the partition fails or the queue is abandoned. An outage the
     * committer was in ends when it stops that way too: the partition is no longer this committer's to retry (a fleet
     * member gave it up, the partition stopped), and an outage left open kept the ongoing-outages gauge, and with it
     * the {@code kafka} readiness check, up for the rest of the process.
     */
    Result commit(Batch batch) throws PartitionFailedException, Abandoned, InterruptedException {
        boolean stopped = true;
        try {
            Result result = commitUntilDone(batch);
            stopped = false;
            return result;
        } finally {
            if (stopped) {
                outage.ended("stopped retrying: the committer stopped")
                        .ifPresent(left -> listener.outageEnded(id.partition(), left.outage(), left.failedAttempts()));
            }
        }
    }

    private Result commitUntilDone(Batch batch) throws PartitionFailedException, Abandoned, InterruptedException {
        Backoff backoff = initialBackoff;
        int attempts = 0;
        int reinitialisations = 0;
        long openedNanos = System.nanoTime();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        while (true) {
            Call call = Call.COMMIT;
            Instant began = clock.instant();
            try {
                if (reinitialisePending) {
                    call = Call.INIT;
                    refuseIfTakenOver(reinitialiseCause);
                    reinitialise(reinitialiseCause);
                    reinitialisePending = false;
                    checkTailAfterInit = true;
                }
                if (initPending) {
                    call = Call.INIT;
                    producer.initTransactions();
                    initPending = false;
                }
                if (checkTailAfterInit) {
                    // this producer's initTransactions fenced everyone else: whatever they committed is visible now
                    call = Call.INIT;
                    refuseIfTakenOver(reinitialiseCause);
                    checkTailAfterInit = false;
                }
                if (!commitPending) {
                    if (abortPending) {
                        call = Call.ABORT;
                        producer.get().abortTransaction();
                        abortPending = false;
                        listener.transactionAborted(id.partition(), lastError);
                    }
                    call = Call.BEGIN;
                    attempts++;
                    producer.get().beginTransaction();
                    openedNanos = System.nanoTime();
                    abortPending = true;
                    call = Call.SEND;
                    sends.clear();
                    send(batch, sends);
                    producer.get().flush();
                    Acknowledgements.await(sends, Deadline.after(commitDeadline));
                    call = Call.COMMIT;
                }
                producer.get().commitTransaction();
                abortPending = false;
                commitPending = false;
                noteCommitted(batch, sends);
                outage.succeeded()
                        .ifPresent(recovered ->
                                listener.outageEnded(id.partition(), recovered.outage(), recovered.failedAttempts()));
                return new Result(attempts, Duration.between(began, clock.instant()));
            } catch (RuntimeException e) {
                if (queue.isAbandoned()) {
                    throw new Abandoned();
                }
                boolean outlived = call != Call.INIT
                        && abortPending
                        && Duration.ofNanos(System.nanoTime() - openedNanos).compareTo(transactionTimeout) > 0;
                Action action = TransactionalErrors.classify(call, e, outlived);
                switch (action) {
                    case FENCED, FATAL -> throw new PartitionFailedException(KafkaErrors.failure(action, id, e));
                    case RETRY_CALL -> commitPending = call == Call.COMMIT;
                    case ABORT_AND_RETRY -> {
                        commitPending = false;
                        abortPending = true;
                        rejectRefusedRecords(batch, sends);
                    }
                    case REINITIALISE -> {
                        if (!outlived && TransactionalErrors.mayBeTakeoverRace(e)) {
                            // Kafka 4.4's answers to a call racing another producer's initTransactions for this id;
                            // after the wait for the acknowledgements it cannot be a commit that overtook its own
                            // records. Re-initialising would fence the recorder that just took over back.
                            throw new PartitionFailedException(KafkaErrors.takenOver(id, e));
                        }
                        if (!reinitialiseInPlace) {
                            throw new PartitionFailedException(KafkaErrors.givenUp(id, e));
                        }
                        if (++reinitialisations > MAX_REINITIALISATIONS) {
                            throw new PartitionFailedException(KafkaErrors.failure(Action.FATAL, id, e));
                        }
                        // at the next pass, once the partition's tail shows nobody took over
                        reinitialisePending = true;
                        reinitialiseCause = e;
                        commitPending = false;
                        abortPending = false;
                        initPending = false;
                    }
                }
                lastError = e;
                if (outage.failed(TransactionalErrors.describe(e))) {
                    listener.outageStarted(id.partition(), e);
                }
                if (!queue.pause(backoff.delay())) {
                    throw new Abandoned();
                }
                backoff = backoff.next();
            }
        }
    }

    /**
     * Stops the partition as taken over when a committed record lies past the last one this driver committed: a
     * lost producer state that a takeover explains too (another recorder started on the same topic while this one
     * was cut off past its transaction timeout, and committed). Re-initialising would fence that recorder back and
     * send this batch, built before the takeover, a second time. Asked before the re-initialisation (so a
     * replacement that committed is not fenced) and after it (its {@code initTransactions} completed every other
     * producer's transaction, so nothing committed escapes the second look). A batch of this driver whose commit
     * did land although it was reported failed is stopped the same way: sending it again would commit it twice.
     */
    private void refuseIfTakenOver(RuntimeException cause) throws PartitionFailedException {
        if (tail.holdsCommittedRecordsFrom(committedEnd)) {
            throw new PartitionFailedException(KafkaErrors.takenOver(id, cause));
        }
    }

    /** Moves {@link #committedEnd} past the batch's chunk records, which Kafka acknowledged before the commit. */
    private void noteCommitted(Batch batch, List<Future<RecordMetadata>> sends) {
        for (int i = 0; i < batch.size() && i < sends.size(); i++) {
            Future<RecordMetadata> send = sends.get(i);
            if (send.state() == Future.State.SUCCESS) {
                committedEnd = Math.max(committedEnd, send.resultNow().offset() + 1);
            }
        }
    }

    /**
     * A new producer for the same transactional id: its {@code initTransactions} aborts what the old one
     * left open, so the batch is sent again from the start. A failed initialisation is classified like any
     * other call ({@link Call#INIT}: a timeout is retried, the rest is fatal).
     */
    private void reinitialise(RuntimeException cause) throws PartitionFailedException {
        LOG.warn(
                "{}: the producer cannot go on ({}), but no other recorder fenced it; re-initialising it and"
                        + " sending the batch again",
                id,
                TransactionalErrors.describe(cause));
        commitPending = false;
        abortPending = false;
        initPending = false;
        try {
            producer.reinitialise(Duration.ZERO);
        } catch (RuntimeException e) {
            Action action = TransactionalErrors.classify(Call.INIT, e);
            if (action != Action.RETRY_CALL) {
                throw new PartitionFailedException(KafkaErrors.failure(action, id, e));
            }
            initPending = true;
        }
    }

    private void send(Batch batch, List<Future<RecordMetadata>> sends) {
        Producer<byte[], byte[]> current = producer.get();
        for (Pending pending : batch.items()) {
            sends.add(current.send(pending.toSend()));
        }
        for (Checkpoint checkpoint : batch.checkpoints().values()) {
            sends.add(current.send(new ProducerRecord<>(
                    id.checkpointTopic(), id.partition(), checkpoint.runId().getBytes(UTF_8), checkpoint.toJson())));
        }
        for (Checkpoint ended : batch.tombstones()) {
            sends.add(current.send(CheckpointRecords.tombstone(id, ended.runId())));
        }
    }

    /**
     * A record Kafka refused as too large (the estimate missed) becomes its rejection, or a recorder record the same
     * record without its large parts ({@link OversizeGuard#withoutLargeParts}), so the retry can pass.
     */
    private void rejectRefusedRecords(Batch batch, List<Future<RecordMetadata>> sends) {
        for (int i = 0; i < sends.size() && i < batch.size(); i++) {
            Future<RecordMetadata> send = sends.get(i);
            if (send.state() == Future.State.FAILED
                    && (send.exceptionNow() instanceof RecordTooLargeException
                            || send.exceptionNow() instanceof RecordBatchTooLargeException)) {
                Pending refused = batch.get(i);
                int size = Math.max(refused.guardBytes(), guard.limitBytes() + 1);
                // a recorder record keeps its type without its large parts (refused again, it has none left)
                var rejection = guard.standIn(refused.record(), size, smaller -> true);
                batch.replace(i, refused.replacedBy(rejection, id));
                LOG.warn(
                        "run {}: Kafka refused the record at position {} as too large ({}); replaced it by {}",
                        refused.record().runId(),
                        refused.record().position(),
                        send.exceptionNow().getMessage(),
                        rejection.type().cloudEventType());
                listener.recordRejected(
                        refused.record().runId(),
                        refused.record().position(),
                        refused.guardBytes(),
                        guard.limitBytes());
            }
        }
    }
}
