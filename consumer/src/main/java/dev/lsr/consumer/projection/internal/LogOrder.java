package dev.lsr.consumer.projection.internal;

import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.RunSequencer;
import dev.lsr.consumer.projection.RunLogEntry;

/**
 * Puts a fold's entries through chunk-log's {@link RunSequencer}, the one rule for repeats, gaps
 * and ends that the reader applies too: so a fold fed every record (repeats included, as the
 * analytics job feeds it) sees the same duplicates, keepalives and gaps as the reader.
 */
public final class LogOrder {

    private LogOrder() {
    }

    /**
     * The verdict on the next entry of a run. A chunk that could not be read still takes its place
     * in the run's order when its position is known, so it leaves no gap.
     */
    public static RunSequencer.Verdict accept(RunSequencer sequencer, RunLogEntry entry) {
        return switch (entry) {
            case RunLogEntry.ChunkEntry chunk ->
                    sequencer.acceptChunk(chunk.position(), chunk.chunk().messageType(), chunk.chunk().sseEvent());
            case RunLogEntry.LifecycleEntry lifecycle ->
                    sequencer.acceptRecord(lifecycle.id(), lifecycle.type(), lifecycle.event());
            case RunLogEntry.UnreadableEntry unreadable -> {
                if (unreadable.position() != null && unreadable.type() == RecordType.CHUNK) {
                    sequencer.skip(unreadable.position());
                }
                yield RunSequencer.Verdict.DELIVER;
            }
        };
    }
}
