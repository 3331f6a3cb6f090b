package dev.lsr.recorder.internal.intake;

import dev.lsr.chunklog.Checkpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** What the log holds about a run: its last checkpoint, if any. */
@FunctionalInterface
public interface CheckpointLookup {

    /** @throws dev.lsr.recorder.log.UnreadableCheckpointException when the log holds one it cannot read */
    Optional<Checkpoint> checkpoint(String runId);

    /**
     * True when a run that ended at {@code endedAt} may have been recorded and its checkpoint removed since (the
     * tombstones of runs that ended longer ago than the log's window): no checkpoint says nothing then. Never, for a
     * log that keeps every checkpoint.
     */
    default boolean mayHaveForgotten(Instant endedAt, Instant now) {
        return false;
    }

    /** True for a log that removes checkpoints of ended runs ({@link #mayHaveForgotten} can be true). */
    default boolean forgetsEndedRuns() {
        return false;
    }

    /** {@code lookup}, of a log that removes the checkpoint of a run that ended longer ago than {@code window}. */
    static CheckpointLookup forgettingAfter(Duration window, CheckpointLookup lookup) {
        return new CheckpointLookup() {
            @Override
            public Optional<Checkpoint> checkpoint(String runId) {
                return lookup.checkpoint(runId);
            }

            @Override
            public boolean forgetsEndedRuns() {
                return true;
            }

            @Override
            public boolean mayHaveForgotten(Instant endedAt, Instant now) {
                return endedAt.isBefore(now.minus(window));
            }
        };
    }

    /** A log that holds nothing. */
    CheckpointLookup EMPTY = runId -> Optional.empty();
}
