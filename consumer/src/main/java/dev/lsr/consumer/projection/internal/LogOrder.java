package dev.lsr.consumer.projection.internal;

import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.MalformedChunkException;
import dev.lsr.chunklog.RunSequencer;
import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.reader.RunRecord;

/**
 * Puts a fold's records through chunk-log's {@link RunSequencer}, the one rule for repeats, gaps
 * and ends that the reader applies too: so a fold fed every record (repeats included, as the
 * analytics job feeds it) sees the same duplicate chunks, keepalives and gaps as the reader, and can
 * save its order with its own state (which the reader's verdict, not kept across a job's restarts,
 * cannot be).
 *
 * <p>Of the recorder records only {@code run.gap} goes in, without its {@code ce_id}: a fold's order
 * must be what its saved state carries ({@code RunSummaryState.Positions}), so a fold takes every
 * recorder record it is given (as it always did), counts from 0 before the first chunk, and does not
 * let a {@code chunk.rejected} record explain a missing number (the reader does, and says so). An
 * unreadable record changes nothing: the reader hands it on without its position, so a fold counts
 * the number it used as missing (the reader's own sequencer, which has the position, does not).
 */
public final class LogOrder {

    private LogOrder() {}

    /** The verdict on the next chunk of a run, read as {@code chunk}. */
    public static RunSequencer.Verdict acceptChunk(RunSequencer sequencer, RunRecord record, Chunk chunk) {
        return sequencer.acceptChunk(record.position(), chunk.messageType(), chunk.sseEvent());
    }

    /**
     * The verdict on the next recorder record of a run: a recorded gap, and a rejected frame, which takes its place
     * in the run's order (so the chunk after it is no gap).
     */
    public static RunSequencer.Verdict acceptLifecycle(RunSequencer sequencer, RunRecord record) {
        return switch (record.lifecycle()) {
            case LifecycleEvent.RunGap gap -> sequencer.acceptRecord(null, record.type(), gap);
            case LifecycleEvent.ChunkRejected rejected -> {
                sequencer.acceptRecord(null, record.type(), rejected, record.position());
                yield RunSequencer.Verdict.DELIVER;
            }
            case null, default -> RunSequencer.Verdict.DELIVER;
        };
    }

    /**
     * The chunk of a chunk record, or null when its value is no chunk a fold can read (the reader
     * kept no tree and it does not parse): the folds count it as an unreadable record.
     */
    public static Chunk chunkOrNull(RunRecord record) {
        try {
            return Chunk.of(record);
        } catch (MalformedChunkException e) {
            return null;
        }
    }
}
