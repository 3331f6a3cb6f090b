package dev.lsr.consumer.projection.lettacode;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.reader.ReplayEvents;
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
     * The session buffers of one or more runs' chunk-log records (a conversation's runs in order),
     * replayed by {@link ReplayEvents} into {@link LettaCodeDrains}: each run is one uninterrupted
     * drain of its distinct chunks, in the order the runs first appear.
     */
    public static LettaCodeBuffers ofRecords(List<ChunkLogRecord> records, Options options) {
        LettaCodeDrains drains = new LettaCodeDrains();
        ReplayEvents.replay(records, drains);
        return drains.buffers(options);
    }
}
