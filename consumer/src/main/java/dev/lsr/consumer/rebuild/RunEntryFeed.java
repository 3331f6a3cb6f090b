package dev.lsr.consumer.rebuild;

import dev.lsr.consumer.projection.RunLogEntries;
import dev.lsr.consumer.projection.RunLogEntry;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.reader.ReplayListener;
import dev.lsr.consumer.reader.RunEnd;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Feeds a replay into one fold per run, the way the analytics job feeds its fold: every readable
 * record in log order including the repeats the reader dropped (the folds count duplicates
 * themselves), and skipped records as unreadable entries; gaps and ends describe the run, not a record, and
 * are not fed.
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
    public void onEvent(ReplayEvent event) {
        switch (event) {
            case ReplayEvent.End end -> ends.put(end.runId(), end.end());
            default -> {
                RunLogEntry entry = RunLogEntries.of(event);
                if (entry != null) {
                    feed(event.runId(), entry);
                }
            }
        }
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
