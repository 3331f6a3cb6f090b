package dev.lsr.consumer.analytics.internal;

import dev.lsr.consumer.analytics.AnalyticsConfig;
import dev.lsr.consumer.analytics.RunFold;
import dev.lsr.consumer.reader.RunPartitions;
import dev.lsr.kernel.MissingOffsets;
import dev.lsr.kernel.TransactionalErrors;
import dev.lsr.kernel.TransactionalErrors.Action;
import dev.lsr.kernel.TransactionalErrors.Call;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consume-fold-produce loop of an analytics job. Per poll, one transaction: the summaries of
 * the runs that changed and the consumed offsets (with the group's metadata), committed together.
 * The per-run state lives in memory for the assigned partitions and is restored from the summary
 * topic on assignment, after the group's committed offsets are stable, so state and offsets always
 * describe the same point in the log. A failed transaction is aborted and the loop rewinds to the
 * last commit (state restored, partitions seeked). A broker outage is waited out ({@link Retry}).
 * What an error means is decided by {@link TransactionalErrors}, as in the recorder: being fenced (another
 * instance took over) and fatal errors stop the job; abortable ones ({@code InvalidProducerEpochException}
 * included) abort and rewind; a timed-out commit or abort is retried as is. Lost producer state (a transaction
 * the coordinator aborted for its timeout, answered with {@code InvalidTxnStateException} or with a fencing, in a
 * transaction older than its timeout; an expired transactional id) is re-initialised as in the recorder: a new
 * producer with the same transactional id, then the rewind. In a younger transaction those two answers are most
 * likely another instance's takeover, and stop the job as before. Another instance cannot commit through a
 * re-initialisation: every transaction's offsets carry this member's group metadata, which the coordinator checks.
 */
public final class JobLoop<S> implements ConsumerRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(JobLoop.class);

    private final AnalyticsConfig config;
    private final RunFold<S> fold;
    private final Consumer<byte[], byte[]> consumer;
    private final JobProducers producers;
    private Producer<byte[], byte[]> producer;
    /** When the open transaction began ({@link System#nanoTime}). */
    private long transactionBegan;

    private final StateRestorer restorer;
    private final Admin admin;
    /** Partitions the summary topic has at least (0 until the first assignment asks). */
    private int summaryPartitions;

    private final Duration timeout;
    private final Map<Integer, RunProcessor<S>> partitions = new HashMap<>();
    private final JobCounters counters;
    /** The open transaction's problems: counted when it commits (or, its commit failed, when it turns out it did). */
    private final TransactionProblems pendingProblems;

    private final SummaryOrMarker<S> summaryOrMarker;
    private final ResumePosition resumePosition;
    /** The chunk topic's id when its partitions were assigned (null: Kafka did not say), written with the offsets. */
    private Uuid chunkTopicId;
    /** A rewind to the last commit can meet a deletion the loop already went past: counted once. */
    private final MissingOffsets.Tally deletedUnread = new MissingOffsets.Tally();

    private BooleanSupplier running = () -> true;

    public JobLoop(
            AnalyticsConfig config,
            RunFold<S> fold,
            Consumer<byte[], byte[]> consumer,
            JobProducers producers,
            Consumer<byte[], byte[]> restoreConsumer,
            Admin admin,
            Duration timeout,
            JobCounters counters,
            int summaryLimitBytes,
            RunPartitions runPartitions) {
        this.config = config;
        this.fold = fold;
        this.consumer = consumer;
        this.producers = producers;
        this.restorer =
                new StateRestorer(restoreConsumer, admin, config.summaryTopic(), counters.problems, runPartitions);
        this.admin = admin;
        this.timeout = timeout;
        this.counters = counters;
        this.pendingProblems = new TransactionProblems(counters.problems);
        this.summaryOrMarker = new SummaryOrMarker<>(config.summaryTopic(), fold, summaryLimitBytes, pendingProblems);
        this.resumePosition = new ResumePosition(
                consumer, admin, config.summaryTopic(), counters.problems, timeout, () -> this.running.getAsBoolean());
    }

    /**
     * Runs until {@code running} turns false or the consumer is woken up (WakeupException); closes its producer
     * (an open transaction is aborted by the next one's {@code initTransactions}).
     */
    public void run(BooleanSupplier running) {
        this.running = running;
        try {
            initialiseProducer();
            consumer.subscribe(List.of(config.chunkTopic()), this);
            while (running.getAsBoolean()) {
                ConsumerRecords<byte[], byte[]> batch = poll();
                if (batch.isEmpty()) {
                    counters.caughtUp = atEnd();
                    continue;
                }
                counters.caughtUp = false;
                process(batch);
            }
        } finally {
            try {
                closeProducer(timeout);
            } finally {
                settleAtStop();
            }
        }
    }

    /**
     * A commit the job stopped in (or failed on) may have committed: once the producer is closed (its commit done or
     * its transaction given up), the group's committed offsets say ({@link TransactionProblems#settle}).
     */
    private void settleAtStop() {
        Set<TopicPartition> inDoubt = pendingProblems.inDoubtPartitions();
        if (inDoubt.isEmpty()) {
            return;
        }
        // an interrupt (an executor stopped with shutdownNow) would fail the read: kept aside, set again after it
        boolean interrupted = Thread.interrupted();
        try {
            Map<TopicPartition, OffsetAndMetadata> committed;
            try {
                committed = consumer.committed(inDoubt, timeout);
            } catch (WakeupException stopping) {
                committed = consumer.committed(inDoubt, timeout); // that was the stop's own wake-up, spent now
            }
            pendingProblems.settle(committed);
        } catch (KafkaException e) {
            pendingProblems.undecided(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void initialiseProducer() {
        producer = producers.make().get();
        Retry.untilDone("initTransactions", running, producer::initTransactions, retriedAsIs(Call.INIT));
    }

    private void closeProducer(Duration wait) {
        if (producer != null) {
            producer.close(wait);
            producer = null;
        }
    }

    /**
     * One poll. The group consumer never lets Kafka reset a position ({@code auto.offset.reset=none}): a
     * partition the group never committed is read from the log's start; a committed offset the log no longer
     * holds (records deleted by retention or {@code deleteRecords} while the job was behind or stopped) goes
     * on by {@link MissingOffsets}' rule, and each offset deleted unread is a problem, once. Kafka's
     * {@code earliest} went on from the same place, but said so only in its own INFO line.
     */
    private ConsumerRecords<byte[], byte[]> poll() {
        try {
            return consumer.poll(config.pollTimeout());
        } catch (NoOffsetForPartitionException e) {
            log.info("no committed offset for {}: reading from the start of the log", e.partitions());
            consumer.seekToBeginning(e.partitions());
        } catch (OffsetOutOfRangeException e) {
            List<MissingOffsets.Resumed> resumed = Retry.untilDone(
                    "go on past deleted records",
                    running,
                    () -> MissingOffsets.goOn(consumer, e, timeout, log, "the analytics job"));
            resumed.forEach(r -> counters.problems.addAndGet(deletedUnread.count(r)));
        }
        return ConsumerRecords.empty();
    }

    private void process(ConsumerRecords<byte[], byte[]> batch) {
        transactionBegan = System.nanoTime();
        producer.beginTransaction();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        try {
            for (TopicPartition tp : batch.partitions()) {
                RunProcessor<S> processor = partitions.get(tp.partition());
                List<ConsumerRecord<byte[], byte[]>> records = batch.records(tp);
                records.forEach(processor::accept);
                counters.records.addAndGet(records.size());
                ConsumedPosition consumed =
                        new ConsumedPosition(records.getLast().offset() + 1, chunkTopicId);
                offsets.put(tp, consumed.committable());
                for (String runId : processor.drainChanged()) {
                    producer.send(summaryOrMarker.of(processor, tp.partition(), runId, consumed));
                    counters.summariesWritten.incrementAndGet();
                }
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        } catch (KafkaException e) {
            pendingProblems.aborted();
            abortAndRewind(Call.SEND, e);
            return;
        }
        try {
            // a commit that timed out may be retried, and nothing else (KafkaProducer#commitTransaction)
            Retry.untilDone("commitTransaction", running, producer::commitTransaction, retriedAsIs(Call.COMMIT));
            counters.transactions.incrementAndGet();
            pendingProblems.committed();
        } catch (KafkaException e) {
            // it may have committed all the same: the rewind, or the stop, reads the offsets and says
            pendingProblems.commitFailed(offsets);
            if (e instanceof WakeupException stop) {
                throw stop;
            }
            abortAndRewind(Call.COMMIT, e);
        }
    }

    /** Errors of {@code call} that {@link TransactionalErrors} says to retry as they are (a timeout). */
    private static Predicate<RuntimeException> retriedAsIs(Call call) {
        return e -> TransactionalErrors.classify(call, e) == Action.RETRY_CALL;
    }

    /**
     * Aborts (or, when the producer lost its transaction state, replaces the producer, whose successor's
     * {@code initTransactions} aborts the transaction) and rewinds after an error of {@code call}; throws a fencing
     * or a fatal error.
     */
    private void abortAndRewind(Call call, KafkaException cause) {
        boolean outlived = outlivedTimeout();
        Action action = TransactionalErrors.classify(call, cause, outlived);
        if (action == Action.FENCED || action == Action.FATAL) {
            throw cause;
        }
        if (action == Action.REINITIALISE && !outlived && TransactionalErrors.mayBeTakeoverRace(cause)) {
            // as the recorder reads it: a young transaction answered so has most likely met another instance's
            // initTransactions; a new producer would fence that one back, and the group then stops both
            throw cause;
        }
        if (action == Action.REINITIALISE) {
            log.warn(
                    "the producer lost its transaction state ({}); a new one for {} aborts the transaction, rewinding"
                            + " to the last commit",
                    TransactionalErrors.describe(cause),
                    config.transactionalId());
            closeProducer(Duration.ZERO);
            initialiseProducer();
        } else {
            log.warn("transaction aborted, rewinding to the last commit: {}", cause.toString());
            Retry.untilDone("abortTransaction", running, producer::abortTransaction, retriedAsIs(Call.ABORT));
        }
        counters.aborts.incrementAndGet();
        Retry.untilDone("rewind to the last commit", running, this::rewind);
    }

    private boolean outlivedTimeout() {
        return System.nanoTime() - transactionBegan
                >= producers.transactionTimeout().toNanos();
    }

    private void rewind() {
        Set<TopicPartition> assigned = consumer.assignment();
        Set<TopicPartition> asked = new HashSet<>(assigned);
        asked.addAll(pendingProblems.inDoubtPartitions());
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(asked, timeout);
        pendingProblems.settle(committed);
        for (TopicPartition tp : assigned) {
            RunProcessor<S> processor = restorer.restore(tp.partition(), fold, pendingProblems, timeout);
            partitions.put(tp.partition(), processor);
            position(tp, processor, committed.get(tp));
        }
    }

    /** Where a partition's reading goes on after its state was restored ({@link ResumePosition}). */
    private void position(TopicPartition tp, RunProcessor<S> processor, OffsetAndMetadata committed) {
        resumePosition.seek(
                tp,
                committed == null ? null : ConsumedPosition.committed(committed),
                processor.consumedTo(),
                chunkTopicId);
    }

    private boolean atEnd() {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return false;
        }
        try {
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
            return assigned.stream().allMatch(tp -> consumer.position(tp, timeout) >= end.get(tp));
        } catch (RetriableException e) {
            return false; // not answerable now; the next empty poll asks again
        } catch (NoOffsetForPartitionException e) {
            return false; // assigned by a poll that timed out before positioning it: the next poll does
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
        if (assigned.isEmpty()) {
            return;
        }
        // waits until pending transactional offset commits of the partitions have settled
        Map<TopicPartition, OffsetAndMetadata> committed = Retry.untilDone(
                "fetch committed offsets", running, () -> consumer.committed(Set.copyOf(assigned), timeout));
        chunkTopicId = resumePosition.topicId(config.chunkTopic());
        coverInSummaryTopic(assigned);
        for (TopicPartition tp : assigned) {
            long start = System.nanoTime();
            RunProcessor<S> processor = Retry.untilDone(
                    "restore " + tp, running, () -> restorer.restore(tp.partition(), fold, pendingProblems, timeout));
            partitions.put(tp.partition(), processor);
            position(tp, processor, committed.get(tp));
            log.info(
                    "partition {} assigned: restored {} runs from {} in {} ms",
                    tp,
                    processor.size(),
                    config.summaryTopic(),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    /**
     * Chunk partitions added while the job runs are assigned like the others: the summary topic grows to have their
     * numbers too ({@link SummaryTopicSetup#grow}).
     */
    private void coverInSummaryTopic(Collection<TopicPartition> assigned) {
        int needed = assigned.stream().mapToInt(TopicPartition::partition).max().orElse(-1) + 1;
        if (needed > summaryPartitions) {
            summaryPartitions = Retry.untilDone(
                    "partitions of " + config.summaryTopic(),
                    running,
                    () -> SummaryTopicSetup.grow(admin, config.summaryTopic(), needed, timeout));
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
        revoked.forEach(tp -> partitions.remove(tp.partition()));
        if (!revoked.isEmpty()) {
            log.info("partitions revoked: {}", revoked);
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
        lost.forEach(tp -> partitions.remove(tp.partition()));
        log.warn("partitions lost: {}", lost);
    }

    /** The current state of a run of an assigned partition, or null (for tests and metrics). */
    public S state(int partition, String runId) {
        RunProcessor<S> processor = partitions.get(partition);
        return processor == null ? null : processor.state(runId);
    }
}
