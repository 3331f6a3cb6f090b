package dev.lsr.recorder.internal.drain;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.RunState;

/**
 * Where a run's records go: the log, which commits records together with the run's checkpoint.
 * Must be thread-safe (each run appends from its own thread).
 */
@FunctionalInterface
public interface RunAppender {

    /**
     * Appends one record of a run; {@code stateAfter} is the run's state once it is in.
     *
     * @throws AppenderClosedException when the log takes no more records (closed, or fenced by
     *                                 another recorder)
     */
    void append(ChunkLogRecord record, RunState stateAfter);
}
