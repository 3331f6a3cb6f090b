package dev.lsr.chunklog;

/**
 * The one rule that gives a run's chunks their {@link Position}s, in arrival order; the recorder
 * uses it on the frames of a connection, the consumer on imported chunk lines and fixtures.
 *
 * <p>A chunk with a {@code seq_id} takes {@code (seq_id, 0)}; a chunk without one takes
 * {@code (last visible seq, k)} with {@code k} counting the seq-less chunks since that seq. A
 * negative {@code seq_id} counts as none. A chunk repeating the last visible seq (a keepalive ping,
 * a replayed entry) takes {@code (seq, 0)} again and does not restart the count, so it maps onto a
 * position already taken and is recognisable as a repeat. A connection that resumes with
 * {@code starting_after = S} starts from {@code S}, because the server replays exactly the entries
 * after {@code S}, in order: so a replay maps every chunk to the position it had before.
 *
 * <p>Two refinements for the recorder, which sees raw frames: {@link #assign} gives a keepalive
 * ping (a ping with no seq, or one that repeats a seq already seen) no position at all (the stored
 * initial ping, whose seq is new, takes one), and {@link #assignUnreadable} positions a frame that
 * cannot be read as JSON by the seq found in its raw bytes only when that seq is plausible.
 *
 * <p>Not thread-safe: one assigner per run (per connection in the recorder).
 */
public final class PositionAssigner {

    private long lastSeq;
    private int sub;

    private PositionAssigner(long lastSeq) {
        this.lastSeq = lastSeq;
    }

    /** An assigner for a run read from its start. */
    public static PositionAssigner fromStart() {
        return new PositionAssigner(0);
    }

    /** An assigner for a connection opened with {@code starting_after = startingAfter} (0 for a fresh one). */
    public static PositionAssigner resumingAfter(long startingAfter) {
        if (startingAfter < 0) {
            throw new IllegalArgumentException("startingAfter must not be negative: " + startingAfter);
        }
        return new PositionAssigner(startingAfter);
    }

    /**
     * The position of the next chunk: the rule itself; every chunk takes one.
     *
     * @param seqId the chunk's {@code seq_id}, or null (a negative one counts as none)
     */
    public Position next(Long seqId) {
        if (seqId == null || seqId < 0) {
            sub++;
            return new Position(lastSeq, sub);
        }
        if (seqId != lastSeq) {
            lastSeq = seqId;
            sub = 0;
        }
        return Position.ofSeq(seqId);
    }

    /**
     * The position of the next frame as the recorder stores it: as {@link #next}, but null for a
     * keepalive ping, which is not stored.
     *
     * @param seqId the frame's {@code seq_id}, or null (a negative one counts as none)
     * @param ping  whether the frame is a {@code ping}
     */
    public Position assign(Long seqId, boolean ping) {
        if (ping && (seqId == null || seqId < 0 || seqId <= lastSeq)) {
            return null;
        }
        return next(seqId);
    }

    /**
     * The position of a frame that could not be read as JSON, whose raw bytes show {@code rawSeq}
     * (or null). The raw seq counts only when it is plausible: after the last seq, by at most one
     * more than the seq-less frames since (every stored frame takes a number, visible or not: fixture
     * 04's error at 29 follows seq 26 and two stop_reasons; see {@link Position#nextNumber()}).
     * Anything else (a {@code "seq_id": 5000} inside broken text, or an old seq) would move the cursor
     * past real chunks, which would then be dropped as replays: the frame takes the next sub-position.
     */
    public Position assignUnreadable(Long rawSeq) {
        boolean plausible = rawSeq != null && rawSeq > lastSeq && rawSeq <= last().nextNumber();
        return next(plausible ? rawSeq : null);
    }

    /** The position of the last chunk ({@code (starting_after, 0)} before any). */
    public Position last() {
        return new Position(lastSeq, sub);
    }

    /** The last visible seq (the {@code starting_after} until a seq arrives). */
    public long lastSeq() {
        return lastSeq;
    }
}
