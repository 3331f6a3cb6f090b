package dev.lsr.consumer.reader;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Feeds a replay into one fold per run: every event of the run in log order, repeats included (the
 * transcript and summary folds count duplicates themselves), gaps and ends too. An unreadable record
 * that names no run belongs to no fold and is not fed.
 *
 * @param <F> the per-run fold
 */
public final class RunFolds<F> implements ReplayListener {

    private final Function<String, F> newFold;
    private final BiConsumer<F, ReplayEvent> apply;
    private final Map<String, F> folds = new LinkedHashMap<>();

    /**
     * @param newFold the fold of a run, by run id
     * @param apply   how an event is applied to a fold
     */
    public RunFolds(Function<String, F> newFold, BiConsumer<F, ReplayEvent> apply) {
        this.newFold = newFold;
        this.apply = apply;
    }

    @Override
    public void onEvent(ReplayEvent event) {
        if (event.runId() != null) {
            apply.accept(folds.computeIfAbsent(event.runId(), newFold), event);
        }
    }

    /** The folds, by run, in the order their runs first appeared. */
    public Map<String, F> folds() {
        return folds;
    }
}
