package dev.lsr.consumer.projection.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lsr.chunklog.Position;
import dev.lsr.consumer.projection.RunLogEntry;

/**
 * Classifies a run's chunks in log order and finds missing content. The recorder appends each position
 * once and in order, so a chunk at or below the highest position seen is a duplicate, except a keepalive
 * ping, which repeats the last visible seq by design. Visible seqs are contiguous within a run (pings
 * included) except for the numbers that seq-less chunks consumed, so a jump larger than the number of
 * seq-less chunks in between is a gap. The state is four numbers ({@link State}).
 */
public final class PositionTracker {

    /** What a chunk is, relative to what came before. */
    public enum Kind {
        /** New content at a new position. */
        NEW,
        /** A keepalive ping repeating the last visible seq: carries nothing. */
        KEEPALIVE,
        /** A position already seen. */
        DUPLICATE
    }

    /** The result for one chunk: its kind and how many visible seqs went missing right before it. */
    public record Observation(Kind kind, long missingBefore, Position gapAfter) {
    }

    /**
     * The serialisable state.
     *
     * @param highestSeq      the highest position seen, its seq
     * @param highestSub      the highest position seen, its sub
     * @param anySeen         whether any chunk position was seen
     * @param lastVisibleSeq  the last visible seq (0 before any)
     * @param seqLessSince    seq-less chunks since the last visible seq
     */
    public record State(@JsonProperty("highest_seq") long highestSeq,
                        @JsonProperty("highest_sub") int highestSub,
                        @JsonProperty("any_seen") boolean anySeen,
                        @JsonProperty("last_visible_seq") long lastVisibleSeq,
                        @JsonProperty("seq_less_since") int seqLessSince) {
        public static final State EMPTY = new State(0, 0, false, 0, 0);
    }

    private State state;

    public PositionTracker(State state) {
        this.state = state;
    }

    public PositionTracker() {
        this(State.EMPTY);
    }

    public State state() {
        return state;
    }

    /**
     * Takes note of a gap the recorder recorded ({@code run.gap}, seqs {@code from .. to}; {@code to}
     * null: to the end of the run): the seqs it covers are known to be missing, so the chunk after them
     * is not counted as a gap again.
     *
     * @return how many seqs are missing right before {@code from}, which the recorded gap does not cover
     */
    /** True when a recorded gap ending at {@code to} is behind what was seen: a repeat of one already taken. */
    public boolean isBehind(Long to) {
        return to != null && to < state.lastVisibleSeq() + state.seqLessSince() + 1;
    }

    public long skipRecordedGap(long from, Long to) {
        long next = state.lastVisibleSeq() + state.seqLessSince() + 1;
        if (to != null && to >= next) {
            state = new State(state.highestSeq(), state.highestSub(), state.anySeen(), to, 0);
        }
        return Math.max(0, from - next);
    }

    public Observation observe(RunLogEntry.ChunkEntry entry) {
        Position position = entry.position();
        Long seq = entry.chunk().seqId();
        if (entry.isPing() && (seq == null || (seq == state.lastVisibleSeq() && state.anySeen()))) {
            return new Observation(Kind.KEEPALIVE, 0, null);
        }
        Position highest = new Position(state.highestSeq(), state.highestSub());
        if (state.anySeen() && !position.isAfter(highest)) {
            return new Observation(Kind.DUPLICATE, 0, null);
        }
        long missing = 0;
        Position gapAfter = null;
        long lastVisible = state.lastVisibleSeq();
        int seqLess = state.seqLessSince();
        if (seq != null) {
            missing = Math.max(0, seq - lastVisible - 1 - seqLess);
            if (missing > 0) {
                gapAfter = new Position(lastVisible, seqLess);
            }
            lastVisible = Math.max(lastVisible, seq);
            seqLess = 0;
        } else {
            seqLess++;
        }
        state = new State(position.seq(), position.sub(), true, lastVisible, seqLess);
        return new Observation(Kind.NEW, missing, gapAfter);
    }
}
