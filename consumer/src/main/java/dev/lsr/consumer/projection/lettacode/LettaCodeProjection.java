package dev.lsr.consumer.projection.lettacode;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.RunLogEntries;
import dev.lsr.consumer.projection.RunLogEntry;
import dev.lsr.consumer.projection.lettacode.internal.RecordedRuns;
import java.util.List;

/** Entry point: rebuilds Letta Code's buffers from chunks. */
public final class LettaCodeProjection {

    private LettaCodeProjection() {}

    /** An empty session (one buffer, as one Letta Code session has). */
    public static LettaCodeBuffers newSession(Options options) {
        return new LettaCodeBuffers(options);
    }

    /** The buffers of one run drained once, uninterrupted (the canonical rebuild of a deduplicated log). */
    public static LettaCodeBuffers ofRun(List<Chunk> chunks, Options options) {
        LettaCodeBuffers buffers = newSession(options);
        buffers.drain(chunks);
        return buffers;
    }

    /**
     * The session buffers of one or more runs' chunk-log records (a conversation's runs in order). Each run
     * is one uninterrupted drain of its distinct chunks; lifecycle and unreadable records carry no chunks.
     * A run that ended without a stop reason and has a terminal recorder record (finished, abandoned,
     * expired...) is not resumed any more: its pending resume is abandoned.
     */
    public static LettaCodeBuffers ofRecords(List<ChunkLogRecord> records, Options options) {
        return ofEntries(RunLogEntries.ofRecords(records), options);
    }

    /** As {@link #ofRecords}, from the runs' log entries (chunks already parsed). */
    public static LettaCodeBuffers ofEntries(List<RunLogEntry> entries, Options options) {
        LettaCodeBuffers buffers = newSession(options);
        for (RecordedRuns.RunDrain run : RecordedRuns.drains(entries)) {
            if (run.chunks().isEmpty()) {
                continue;
            }
            buffers.drain(run.chunks());
            if (run.terminated()) {
                buffers.abandonResume();
            }
        }
        return buffers;
    }
}
