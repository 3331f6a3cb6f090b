package dev.lsr.consumer.projection.lettacode;

import dev.lsr.consumer.projection.Chunk;
import java.util.List;

/** Entry point: rebuilds Letta Code's buffers from chunks. */
public final class LettaCodeProjection {

    private LettaCodeProjection() {
    }

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
}
