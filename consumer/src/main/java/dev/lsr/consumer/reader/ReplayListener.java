package dev.lsr.consumer.reader;

/**
 * Receives what a replay reads, in per-run log order (records of different runs may interleave).
 * Called on the reading thread; implementations need not be thread-safe.
 */
public interface ReplayListener {

    /** A readable, non-duplicate record of a run that passed the filter. */
    void onRecord(RunRecord record);

    /**
     * A record dropped as a repeat of a position already read (a duplicate, or a keepalive ping), in
     * its place in the log. For folds that account for duplicates themselves; most listeners ignore it.
     */
    default void onDuplicate(RunRecord record) {
    }

    /** A problem: the record was skipped, or (gap, truncation) the run is marked. */
    default void onProblem(ReadProblem problem) {
    }

    /**
     * The run's log ended: at its terminal recorder record, or, for runs without one, at the end of
     * a bounded replay. Called at most once per run; follow mode calls it only for terminal records.
     */
    default void onRunEnd(RunEnd end) {
    }
}
