package dev.lsr.recorder.internal.drain;

import dev.lsr.chunklog.Position;

/**
 * Assigns chunk-log {@link Position}s to the frames of one connection, in arrival order.
 *
 * <p>A chunk with a {@code seq_id} takes {@code (seq_id, 0)}; a chunk without one takes
 * {@code (last visible seq, k)} with {@code k} counting the seq-less chunks since that seq. A
 * connection that resumes with {@code starting_after = S} starts from {@code S}, because the server
 * replays exactly the entries after {@code S}, in order: so a replay maps every chunk to the position
 * it had before. Keepalive pings (a ping with a null {@code seq_id}, or one that repeats a seq already
 * seen) get no position; the stored initial ping, whose seq is new, does. A frame that cannot be read
 * as JSON takes the seq found in its raw bytes only when that seq is plausible
 * ({@link #assignUnreadable}).
 *
 * <p>Confined to the thread draining the connection.
 */
public final class PositionTracker {

    private long lastSeq;
    private int sub;

    private PositionTracker(long lastSeq) {
        this.lastSeq = lastSeq;
    }

    /** A tracker for a connection opened with {@code starting_after = startingAfter} (0 for a fresh one). */
    public static PositionTracker resumingAfter(long startingAfter) {
        if (startingAfter < 0) {
            throw new IllegalArgumentException("startingAfter must not be negative: " + startingAfter);
        }
        return new PositionTracker(startingAfter);
    }

    /**
     * The position of the next frame.
     *
     * @param seqId the frame's {@code seq_id}, or null (a negative one counts as none)
     * @param ping  whether the frame is a {@code ping}
     * @return the position, or null for a keepalive ping
     */
    public Position assign(Long seqId, boolean ping) {
        if (seqId != null && seqId < 0) {
            seqId = null;
        }
        if (ping && (seqId == null || seqId <= lastSeq)) {
            return null;
        }
        if (seqId != null) {
            lastSeq = seqId;
            sub = 0;
            return Position.ofSeq(seqId);
        }
        sub++;
        return new Position(lastSeq, sub);
    }

    /** The position of this connection's last frame ({@code (starting_after, 0)} before any). */
    public Position last() {
        return new Position(lastSeq, sub);
    }

    /**
     * The position of a frame that could not be read as JSON, whose raw bytes show {@code rawSeq}
     * (or null). The raw seq counts only when it is plausible: after the last seq, by at most one
     * more than the seq-less frames since (every stored frame takes a number, visible or not: fixture
     * 04's error at 29 follows seq 26 and two stop_reasons). Anything else (a {@code "seq_id": 5000}
     * inside broken text, or an old seq) would move the cursor past real chunks, which would then
     * be dropped as replays: the frame takes the next sub-position instead.
     */
    public Position assignUnreadable(Long rawSeq) {
        boolean plausible = rawSeq != null && rawSeq > lastSeq && rawSeq <= lastSeq + 1 + sub;
        return assign(plausible ? rawSeq : null, false);
    }

    /** The last visible seq of this connection (its {@code starting_after} until a seq arrives). */
    public long lastSeq() {
        return lastSeq;
    }
}
