package dev.lsr.sim;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.sim.internal.store.FrameText;

/**
 * One frame of a background run's stored stream, as the simulated Redis stream holds it: the run it
 * belongs to, the per-run sequence number it took (from 1, one per frame: pings, chunks,
 * {@code stop_reason}, usage, the {@code event: error} frame and {@code [DONE]} alike), and the
 * exact bytes of the whole SSE frame ({@code data: ...\n\n}) before the reader fills in
 * {@code "seq_id":null} / {@code "run_id":null}.
 *
 * @param runId the run's id
 * @param seq the frame's sequence number within the run
 * @param bytes the stored bytes; do not modify
 * @param isFinal whether readers stop after this frame ({@code [DONE]} or an upstream {@code event: error})
 */
public record StoredFrame(String runId, long seq, byte[] bytes, boolean isFinal) {

    /** The stored bytes decoded as UTF-8 (lossy for a deliberately invalid-UTF-8 frame). */
    public String text() {
        return new String(bytes, UTF_8);
    }

    /** The bytes a background reader sends for this frame: {@code null} seq_id/run_id filled in. */
    public byte[] servedBytes() {
        return FrameText.fillNulls(bytes, runId, seq);
    }
}
