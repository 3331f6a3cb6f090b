package dev.lsr.recorder.internal.intake;

import dev.lsr.chunklog.Checkpoint;
import java.util.Optional;

/** What the log holds about a run: its last checkpoint, if any. */
@FunctionalInterface
public interface CheckpointLookup {

    /** @throws dev.lsr.recorder.log.UnreadableCheckpointException when the log holds one it cannot read */
    Optional<Checkpoint> checkpoint(String runId);

    /** A log that holds nothing. */
    CheckpointLookup EMPTY = runId -> Optional.empty();
}
