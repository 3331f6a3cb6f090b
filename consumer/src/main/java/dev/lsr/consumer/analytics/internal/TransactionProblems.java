package dev.lsr.consumer.analytics.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The problems met in the open transaction (an unreadable record, a record the fold cannot take, a run that gets a
 * marker), each with the line that reports it. They are counted and logged when the transaction commits, and
 * forgotten when it is aborted: the job then rewinds and reads the same records again, and meets the same problems.
 * Counted at once, a problem was counted and logged again at every abort.
 *
 * <p>A commit that failed as the client saw it (its answer lost, the job stopped while retrying it) may have
 * committed all the same: its problems are in doubt until the group's committed offsets say
 * ({@link #settle}): at or past the offsets the transaction committed, it did, and its problems are reported;
 * else its records are read again. Forgotten, the problems of such a commit were never counted nor logged. Not
 * thread-safe: the loop's thread only.
 */
final class TransactionProblems {

    private static final Logger log = LoggerFactory.getLogger(TransactionProblems.class);

    private final AtomicLong problems;
    private final List<Runnable> reports = new ArrayList<>();
    /** The problems of a transaction whose commit failed, until {@link #settle}d; null when none. */
    private InDoubt inDoubt;

    private record InDoubt(List<Runnable> reports, Map<TopicPartition, Long> offsets) {}

    /** @param problems the job's count, which committed problems are added to */
    TransactionProblems(AtomicLong problems) {
        this.problems = problems;
    }

    /** One problem of the open transaction; {@code report} logs it once the transaction commits. */
    void add(Runnable report) {
        reports.add(report);
    }

    /** The transaction committed: its problems are logged and counted. */
    void committed() {
        report(reports);
        reports.clear();
    }

    /** The transaction was aborted before its commit: its records will be read again, and their problems met again. */
    void aborted() {
        reports.clear();
    }

    /**
     * The commit of the transaction that would have committed {@code offsets} failed: whether it committed is for the
     * committed offsets to say ({@link #settle}).
     */
    void commitFailed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (inDoubt != null) {
            throw new IllegalStateException("a failed commit before the last one was never settled");
        }
        Map<TopicPartition, Long> next = new HashMap<>();
        offsets.forEach((tp, offset) -> next.put(tp, offset.offset()));
        inDoubt = new InDoubt(List.copyOf(reports), Map.copyOf(next));
        reports.clear();
    }

    /** The partitions whose committed offsets {@link #settle} needs (none when no commit is in doubt). */
    Set<TopicPartition> inDoubtPartitions() {
        return inDoubt == null ? Set.of() : inDoubt.offsets().keySet();
    }

    /**
     * Settles a failed commit by the group's offsets read after it (its transaction completed or aborted, the
     * offsets stable): reported if the transaction committed, forgotten if not.
     */
    void settle(Map<TopicPartition, OffsetAndMetadata> committedNow) {
        if (inDoubt == null) {
            return;
        }
        boolean committed = inDoubt.offsets().entrySet().stream().allMatch(e -> {
            OffsetAndMetadata now = committedNow.get(e.getKey());
            return now != null && now.offset() >= e.getValue();
        });
        if (committed) {
            report(inDoubt.reports());
        }
        inDoubt = null;
    }

    /**
     * The job stops and Kafka does not say whether the failed commit committed: its problems are reported now, with
     * a WARN that says so. If it did not commit, the next run reads their records again and reports them again.
     */
    void undecided(RuntimeException why) {
        if (inDoubt == null) {
            return;
        }
        if (!inDoubt.reports().isEmpty()) {
            log.warn(
                    "stopping without knowing whether the last transaction committed ({}): its {} problems are"
                            + " reported now, and again by the next run if it did not",
                    why.toString(),
                    inDoubt.reports().size());
        }
        report(inDoubt.reports());
        inDoubt = null;
    }

    private void report(List<Runnable> what) {
        what.forEach(Runnable::run);
        problems.addAndGet(what.size());
    }
}
