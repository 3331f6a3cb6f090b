package dev.lsr.viewer.model;

import dev.lsr.consumer.projection.summary.RunSummaryFold;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.reader.ReplayListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Every run in the log as a {@link RunRow}, kept current by a reader that follows the log: one run
 * summary fold per run (small: counters, ids, a histogram), fed the raw events as the analytics job
 * feeds it. Thread-safe: the reader's thread writes, page threads read and wait for changes. Each
 * event bumps a version; {@link #awaitChange} and {@link #changedSince} let live pages learn which
 * runs moved.
 */
public final class RunCatalog implements ReplayListener {

    private static final Comparator<RunRow> NEWEST_FIRST = Comparator.comparing(
                    RunRow::startedAt, Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
            .thenComparing(RunRow::runId);

    private final Map<String, Tracked> runs = new HashMap<>();
    private long version;

    private static final class Tracked {
        final RunSummaryFold fold = new RunSummaryFold();
        boolean ended;
        long changedAt;
        RunRow row;

        RunRow row() {
            if (row == null) {
                row = RunRow.of(fold.summary(), ended);
            }
            return row;
        }
    }

    private boolean caughtUp;

    @Override
    public synchronized void onEvent(ReplayEvent event) {
        String runId = event.runId();
        if (runId == null) {
            return; // an unreadable record that names no run: the reader reported it
        }
        Tracked run = runs.computeIfAbsent(runId, id -> new Tracked());
        if (event instanceof ReplayEvent.End end) {
            run.ended = !end.end().isTruncated();
        } else {
            run.fold.apply(event);
        }
        run.row = null;
        run.changedAt = ++version;
        notifyAll();
    }

    /** The log is read (again) from its beginning: until it is caught up, a run not known here may be in the log. */
    public synchronized void following() {
        caughtUp = false;
    }

    /** The log was read up to where it ended when its reading began: from then on the catalog knows every run. */
    public synchronized void caughtUp() {
        caughtUp = true;
    }

    /**
     * True once the catalog has read the log up to where it ended when its reading began: a run it does not know is
     * not in the log (a run recorded since is known as soon as its first record is read).
     */
    public synchronized boolean knowsEveryRun() {
        return caughtUp;
    }

    /** True when the catalog knows every run and not this one: it is not in the log. */
    public synchronized boolean knownAbsent(String runId) {
        return caughtUp && !runs.containsKey(runId);
    }

    /** The current version: it grows with every event read. */
    public synchronized long version() {
        return version;
    }

    /** Waits until the version is above {@code seen} or the time is up; returns the version then. */
    public synchronized long awaitChange(long seen, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (version <= seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return version;
    }

    /** The runs that changed after version {@code seen}. */
    public synchronized Set<String> changedSince(long seen) {
        Set<String> changed = new TreeSet<>();
        runs.forEach((id, run) -> {
            if (run.changedAt > seen) {
                changed.add(id);
            }
        });
        return changed;
    }

    /** The version at which the run last changed, or -1 for a run not in the log. */
    public synchronized long versionOf(String runId) {
        Tracked run = runs.get(runId);
        return run == null ? -1 : run.changedAt;
    }

    public synchronized RunRow row(String runId) {
        Tracked run = runs.get(runId);
        return run == null ? null : run.row();
    }

    public synchronized RunsPage query(RunQuery query) {
        List<RunRow> all = runs.values().stream().map(Tracked::row).toList();
        List<RunRow> matching =
                all.stream().filter(query::admits).sorted(NEWEST_FIRST).toList();
        int pages = Math.max(1, (matching.size() + query.pageSize() - 1) / query.pageSize());
        int page = Math.min(query.page(), pages);
        int from = (page - 1) * query.pageSize();
        List<RunRow> rows = matching.subList(from, Math.min(matching.size(), from + query.pageSize()));
        return new RunsPage(
                query.withPage(page),
                new ArrayList<>(rows),
                matching.size(),
                pages,
                all.size(),
                distinct(all, RunRow::agentId),
                distinct(all, RunRow::status),
                distinct(all, RunRow::stopReason));
    }

    private static List<String> distinct(List<RunRow> rows, Function<RunRow, String> field) {
        return List.copyOf(rows.stream()
                .map(field)
                .filter(Objects::nonNull)
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
    }
}
