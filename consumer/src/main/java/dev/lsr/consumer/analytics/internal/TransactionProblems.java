package dev.lsr.consumer.analytics.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The problems met in the open transaction (an unreadable record, a record the fold cannot take, a run that gets a
 * marker), each with the line that reports it. They are counted and logged when the transaction commits, and
 * forgotten when it is aborted: the job then rewinds and reads the same records again, and meets the same problems.
 * Counted at once, a problem was counted and logged again at every abort. Not thread-safe: the loop's thread only.
 */
final class TransactionProblems {

    private final AtomicLong problems;
    private final List<Runnable> reports = new ArrayList<>();

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
        reports.forEach(Runnable::run);
        problems.addAndGet(reports.size());
        reports.clear();
    }

    /** The transaction was aborted: its records will be read again, and their problems met again. */
    void aborted() {
        reports.clear();
    }
}
