package dev.lsr.recorder;

import dev.lsr.chunklog.RunState;

/**
 * Hooks for metrics: called on the run's thread, so implementations must be quick and thread-safe.
 * Every method has a default: empty, but for {@link #recordingFailed}.
 */
public interface RecorderListener {

    /** A chunk was handed to the log. */
    default void chunkAppended(String runId, int sizeBytes) {}

    /** A frame was recorded as {@code chunk.rejected}; reason as in the record. */
    default void frameRejected(String runId, String reason) {}

    /** A replayed chunk was dropped because its position was already appended. */
    default void replayDropped(String runId) {}

    /**
     * Stored frames of the run are gone from the server and were recorded as a {@code run.gap};
     * {@code cause} as in the record ({@code trimmed}, {@code expired}), {@code missing} the number of
     * seqs, or -1 for a gap to the end of the run.
     */
    default void gapRecorded(String runId, String cause, long missing) {}

    /** The recorder reconnected to a run. */
    default void runResumed(String runId, String cause) {}

    /** The recording of a run ended with this state (ACTIVE when interrupted by a stop). */
    default void runEnded(String runId, RunState state) {}

    /**
     * The recording of a run failed (an error the run is retried after; it stays active in its checkpoint). By
     * default heard as a recording that ended unfinished ({@link #runEnded} with ACTIVE).
     */
    default void recordingFailed(String runId) {
        runEnded(runId, RunState.ACTIVE);
    }

    /** Letta stopped answering (no connection, a gateway error, a page that is not Letta's): once per outage. */
    default void lettaOutageStarted(Throwable cause) {}

    /** Letta answers again after an outage of this length. */
    default void lettaOutageEnded(java.time.Duration outage) {}

    /** A listener that does nothing. */
    RecorderListener NONE = new RecorderListener() {};
}
