package dev.lsr.consumer.rebuild;

import dev.lsr.consumer.projection.RunLogEntry;
import dev.lsr.consumer.reader.ReadProblem;
import dev.lsr.consumer.reader.RunEnd;
import dev.lsr.consumer.reader.ReplayListener;
import dev.lsr.consumer.reader.RunRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Feeds a replay into one fold per run, the way the analytics job feeds its fold: every readable
 * record in log order including the repeats the reader dropped (the folds count duplicates
 * themselves), and skipped records as unreadable entries.
 *
 * @param <F> the per-run fold
 */
public final class RunEntryFeed<F> implements ReplayListener {

    private final Function<String, F> newFold;
    private final Function<F, Consumer<RunLogEntry>> apply;
    private final Map<String, F> folds = new LinkedHashMap<>();
    private final Map<String, RunEnd> ends = new LinkedHashMap<>();

    /**
     * @param newFold the fold of a run, by run id
     * @param apply   how an entry is applied to a fold
     */
    public RunEntryFeed(Function<String, F> newFold, Function<F, Consumer<RunLogEntry>> apply) {
        this.newFold = newFold;
        this.apply = apply;
    }

    @Override
    public void onRecord(RunRecord record) {
        feed(record.runId(), ProjectionEntries.of(record));
    }

    @Override
    public void onDuplicate(RunRecord record) {
        feed(record.runId(), ProjectionEntries.of(record));
    }

    @Override
    public void onProblem(ReadProblem problem) {
        RunLogEntry entry = ProjectionEntries.of(problem);
        if (entry != null) {
            feed(problem.runId(), entry);
        }
    }

    @Override
    public void onRunEnd(RunEnd end) {
        ends.put(end.runId(), end);
    }

    private void feed(String runId, RunLogEntry entry) {
        apply.apply(folds.computeIfAbsent(runId, newFold)).accept(entry);
    }

    /** The folds, by run, in the order their runs first appeared. */
    public Map<String, F> folds() {
        return folds;
    }

    /** How each run's log ended (bounded replays). */
    public Map<String, RunEnd> ends() {
        return ends;
    }
}
