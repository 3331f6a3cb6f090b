package dev.lsr.chunklog;

/**
 * Where a record stands in its run: the server's {@code seq_id}, and a sub-position for the chunks
 * that carry none ({@code stop_reason}, {@code usage_statistics}, some errors).
 *
 * <p>A chunk with its own {@code seq_id} is {@code (seq_id, 0)}. A chunk without one is
 * {@code (lastVisibleSeq, k)} where {@code k} counts the seq-less chunks since that seq (1, 2, ...).
 * Because a resume with {@code starting_after = lastVisibleSeq} replays the same entries in the same
 * order, a replay maps every chunk to the same position, so {@code (runId, position)} identifies a
 * chunk across connections. Before any visible seq the base is 0.
 */
public record Position(long seq, int sub) implements Comparable<Position> {

    public static final Position START = new Position(0, 0);

    public Position {
        if (seq < 0 || sub < 0) {
            throw new IllegalArgumentException("position must not be negative: " + seq + "." + sub);
        }
    }

    public static Position ofSeq(long seq) {
        return new Position(seq, 0);
    }

    /** The position of the next seq-less chunk after this one. */
    public Position nextSub() {
        return new Position(seq, sub + 1);
    }

    /**
     * The server's number for the stored frame at this position. Letta numbers every stored frame of a
     * background run, visible or not (protocol §3.1): seq {@code v} followed by {@code k} seq-less frames
     * used {@code v + k}. It is what a client's {@code starting_after} counts.
     */
    public long number() {
        return seq + sub;
    }

    /**
     * The server's number for the stored frame right after this position: {@code v + k + 1}. A visible
     * seq above it means frames are missing: the one gap rule of the recorder and the reader.
     */
    public long nextNumber() {
        return number() + 1;
    }

    public boolean isAfter(Position other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(Position other) {
        int bySeq = Long.compare(seq, other.seq);
        return bySeq != 0 ? bySeq : Integer.compare(sub, other.sub);
    }

    /** {@code "380"} for a seq position, {@code "380.2"} for a sub-position. */
    @Override
    public String toString() {
        return sub == 0 ? Long.toString(seq) : seq + "." + sub;
    }

    /** Parses {@link #toString()}'s form. */
    public static Position parse(String text) {
        int dot = text.indexOf('.');
        try {
            if (dot < 0) {
                return ofSeq(Long.parseLong(text));
            }
            return new Position(Long.parseLong(text, 0, dot, 10), Integer.parseInt(text, dot + 1, text.length(), 10));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a position: '" + text + "'", e);
        }
    }
}
