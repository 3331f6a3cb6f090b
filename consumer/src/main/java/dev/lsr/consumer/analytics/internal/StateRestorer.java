package dev.lsr.consumer.analytics.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.consumer.analytics.RunFold;
import dev.lsr.consumer.reader.RunPartitions;
import dev.lsr.kernel.MissingOffsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the state of a chunk partition's runs from the summary topic's partition of the same
 * number: reads it, committed records only, from the beginning to its last stable offset; the
 * last record per run wins (the topic is compacted, so that is also all that is kept).
 *
 * <p>First it waits for the transactions in doubt on that partition. The previous owner's last
 * commit may be decided (its consumed offsets already visible, which is what the job resumes from)
 * while the commit marker has not yet reached the summary partition; reading only to the last
 * stable offset of that moment would miss that commit's summaries and lose their state. So the
 * restore reads up to a last stable offset at or past the high watermark seen when it starts. A
 * transaction that stays open past the timeout although its coordinator aborted it (hanging) is
 * aborted on the partition, and the wait goes on.
 */
final class StateRestorer {

    private static final Logger LOG = LoggerFactory.getLogger(StateRestorer.class);

    private static final long IN_DOUBT_POLL_MILLIS = 20;

    private final Consumer<byte[], byte[]> consumer;
    private final Admin admin;
    private final String summaryTopic;
    private final RestoreProblems problems;
    private final RunPartitions runPartitions;

    /**
     * @param consumer a read_committed consumer without group, used only by this restorer
     * @param admin    for the partition's high watermark
     * @param problems the job's count of problems, which the restore's own are added to, each once
     * @param runPartitions which chunk partition holds a run's records, for the processors
     */
    StateRestorer(
            Consumer<byte[], byte[]> consumer,
            Admin admin,
            String summaryTopic,
            AtomicLong problems,
            RunPartitions runPartitions) {
        this.consumer = consumer;
        this.admin = admin;
        this.summaryTopic = summaryTopic;
        this.problems = new RestoreProblems(problems);
        this.runPartitions = runPartitions;
    }

    /** The partition's runs, restored; {@code pending} takes the problems of the records the processor reads. */
    <S> RunProcessor<S> restore(int partition, RunFold<S> fold, TransactionProblems pending, Duration timeout) {
        RunProcessor<S> processor = new RunProcessor<>(fold, runPartitions, pending);
        TopicPartition tp = new TopicPartition(summaryTopic, partition);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        long stable = stableOffsetPastInDoubtTransactions(tp, timeout);
        while (consumer.position(tp, timeout) < stable) {
            for (ConsumerRecord<byte[], byte[]> record : poll(stable, timeout)) {
                if (record.offset() >= stable) {
                    break;
                }
                ConsumedPosition consumed = SummaryRecords.consumed(record);
                if (consumed != null) {
                    // in offset order: the last one read is the newest commit's
                    processor.restoreConsumed(consumed);
                }
                if (SummaryRecords.isMarker(record)) {
                    processor.stopFolding(new String(record.key(), UTF_8));
                    continue;
                }
                Map.Entry<String, S> run = readable(record, fold);
                if (run != null) {
                    processor.restore(run.getKey(), run.getValue());
                }
            }
        }
        consumer.assign(List.of());
        return processor;
    }

    /**
     * A run's saved state, or null: none saved, or one the fold cannot read (edited by hand, written by a newer
     * fold), which is logged with the run id and counted as a problem (once, not at every restore), and leaves that
     * run to fold on from its initial state, as a run whose state was deleted does; the other runs are restored.
     */
    private <S> Map.Entry<String, S> readable(ConsumerRecord<byte[], byte[]> record, RunFold<S> fold) {
        try {
            return SummaryRecords.fromRecord(record, fold);
        } catch (RuntimeException e) {
            if (!problems.unreadable(record.partition(), record.offset())) {
                return null;
            }
            LOG.error(
                    "{}-{}@{}: run {}'s saved state is unreadable ({}); the run folds on from its initial state",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    record.key() == null ? null : new String(record.key(), UTF_8),
                    e.getMessage());
            return null;
        }
    }

    /**
     * One poll. Summaries deleted (retention, {@code deleteRecords}) before the restore read them are not
     * skipped past by Kafka ({@code auto.offset.reset=none}, which jumps to the end and restores nothing
     * after): the restore goes on from the partition's new start ({@link MissingOffsets}) and counts each
     * offset deleted unread below {@code stable} as a problem, once (a run whose state went folds on from its
     * initial state).
     */
    private ConsumerRecords<byte[], byte[]> poll(long stable, Duration timeout) {
        try {
            return consumer.poll(Duration.ofMillis(200));
        } catch (OffsetOutOfRangeException e) {
            for (MissingOffsets.Resumed resumed :
                    MissingOffsets.goOn(consumer, e, timeout, LOG, "the analytics job's restore")) {
                problems.deleted(
                        resumed.partition().partition(), resumed.deletedFrom(), Math.min(resumed.goesOnAt(), stable));
            }
            return ConsumerRecords.empty();
        }
    }

    /** The last stable offset once it has reached the high watermark seen now; retriable on timeout. */
    private long stableOffsetPastInDoubtTransactions(TopicPartition tp, Duration timeout) {
        long written = highWatermark(tp, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long stable = consumer.endOffsets(List.of(tp), timeout).get(tp);
            if (stable >= written) {
                return stable;
            }
            if (System.nanoTime() > deadline) {
                if (abortedHanging(tp, timeout)) {
                    deadline = System.nanoTime() + timeout.toNanos();
                    continue;
                }
                throw new TimeoutException(
                        "a transaction on " + tp + " is still open after " + timeout + " (last stable offset " + stable
                                + ", high watermark " + written + "; " + openTransactions(tp) + ")");
            }
            try {
                Thread.sleep(IN_DOUBT_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
        }
    }

    /**
     * True when a hanging transaction held the partition and was aborted (see {@link HangingTransactions});
     * false when none hangs or the attempt failed (the restore then times out and is retried).
     */
    private boolean abortedHanging(TopicPartition tp, Duration timeout) {
        try {
            return !HangingTransactions.abort(admin, tp, timeout).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        } catch (Exception e) {
            return false;
        }
    }

    /** Best effort, for the message only: who holds the partition's open transactions. */
    private String openTransactions(TopicPartition tp) {
        try {
            return "producers "
                    + admin.describeProducers(List.of(tp))
                            .partitionResult(tp)
                            .get(2, TimeUnit.SECONDS)
                            .activeProducers()
                    + ", transactions " + admin.listTransactions().all().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "producers unknown: " + e;
        }
    }

    private long highWatermark(TopicPartition tp, Duration timeout) {
        try {
            return admin.listOffsets(
                            Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                    .partitionResult(tp)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .offset();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RetriableException retriable) {
                throw retriable;
            }
            throw new KafkaException("cannot read the high watermark of " + tp, e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("no high watermark for " + tp + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }
}
