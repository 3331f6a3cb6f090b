package dev.lsr.consumer.projection.internal;

import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RunSequencer;
import dev.lsr.consumer.projection.RunLogEntry;

/**
 * Puts a fold's entries through chunk-log's {@link RunSequencer}, the one rule for repeats, gaps
 * and ends that the reader applies too: so a fold fed every record (repeats included, as the
 * analytics job feeds it) sees the same duplicate chunks, keepalives and gaps as the reader.
 *
 * <p>Of the recorder records only {@code run.gap} goes in, without its {@code ce_id}: a fold's order
 * must be what its saved state carries ({@code RunSummaryState.Positions}), so a fold takes every
 * recorder record it is given (as it always did), counts from 0 before the first chunk, and does not
 * let a {@code chunk.rejected} record explain a missing number (the reader does, and says so).
 */
public final class LogOrder {

    private LogOrder() {}

    /**
     * The verdict on the next entry of a run. An unreadable entry changes nothing: the reader hands
     * it on without its position, so a fold counts the number it used as missing (the reader's own
     * sequencer, which has the position, does not).
     */
    public static RunSequencer.Verdict accept(RunSequencer sequencer, RunLogEntry entry) {
        return switch (entry) {
            case RunLogEntry.ChunkEntry chunk ->
                sequencer.acceptChunk(
                        chunk.position(),
                        chunk.chunk().messageType(),
                        chunk.chunk().sseEvent());
            case RunLogEntry.LifecycleEntry lifecycle ->
                lifecycle.event() instanceof LifecycleEvent.RunGap
                        ? sequencer.acceptRecord(null, lifecycle.type(), lifecycle.event())
                        : RunSequencer.Verdict.DELIVER;
            case RunLogEntry.UnreadableEntry unreadable -> RunSequencer.Verdict.DELIVER;
        };
    }
}
