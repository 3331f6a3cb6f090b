package dev.lsr.consumer.reader;

/**
 * Receives what a replay reads, in per-run log order (records of different runs may interleave).
 * Called on the reading thread; implementations need not be thread-safe.
 *
 * <p>The reader calls only {@link #onEvent}, with one {@link ReplayEvent}; a fold that takes the
 * sealed event overrides it. Its default hands each event to the per-kind methods below, for listeners
 * that want only some kinds.
 */
public interface ReplayListener {

    /** Everything a replay reads; by default dispatched to the per-kind methods. */
    default void onEvent(ReplayEvent event) {
        switch (event) {
            case ReplayEvent.Chunk chunk -> deliverOrRepeat(chunk.record(), chunk.isRepeat());
            case ReplayEvent.Lifecycle lifecycle -> deliverOrRepeat(lifecycle.record(), lifecycle.isRepeat());
            case ReplayEvent.Gap gap -> onProblem(gap.problem());
            case ReplayEvent.Unreadable unreadable -> onProblem(unreadable.problem());
            case ReplayEvent.End end -> {
                if (end.truncation() != null) {
                    onProblem(end.truncation());
                }
                onRunEnd(end.end());
            }
        }
    }

    private void deliverOrRepeat(RunRecord record, boolean repeat) {
        if (repeat) {
            onDuplicate(record);
        } else {
            onRecord(record);
        }
    }

    /** A readable, non-duplicate record of a run that passed the filter. */
    default void onRecord(RunRecord record) {}

    /**
     * A record dropped as a repeat of a position already read (a duplicate, or a keepalive ping), in
     * its place in the log. For folds that account for duplicates themselves; most listeners ignore it.
     */
    default void onDuplicate(RunRecord record) {}

    /** A problem: the record was skipped, or (gap, truncation) the run is marked. */
    default void onProblem(ReadProblem problem) {}

    /**
     * The run's log ended: at its terminal recorder record, or, for runs without one, at the end of
     * a bounded replay. Called at most once per run; follow mode calls it only for terminal records.
     */
    default void onRunEnd(RunEnd end) {}
}
