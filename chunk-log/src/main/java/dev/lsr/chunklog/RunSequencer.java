package dev.lsr.chunklog;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lsr.chunklog.LifecycleEvent.RunAttached;
import dev.lsr.chunklog.LifecycleEvent.RunGap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The one order keeper of a run's log, record by record in log order: drops repeated chunks and
 * recorder records, finds gaps, and knows whether the run's log has ended. The consumer's reader runs
 * one per run; its state ({@link State}) can be saved and restored.
 *
 * <p><b>Duplicates.</b> The recorder appends a run's chunks in increasing position order, so a
 * chunk whose position is not after the run's highest position so far (its high-water mark) was
 * read before: it is dropped. Pings there are keepalives (they repeat the previous seq) and are
 * dropped silently; anything else counts as a duplicate. Recorder records are deduplicated by
 * their {@code ce_id}.
 *
 * <p><b>Gaps.</b> Let the high-water mark be {@code (v, k)}: the last visible seq {@code v}
 * followed by {@code k} seq-less chunks, each of which used one hidden seq number on the server
 * (stop_reason, usage_statistics; {@link Position#nextNumber()}). Let {@code r} be the chunk.rejected
 * records since then (each may have used one number). The next chunk is in order when it is
 * {@code (v, k+1)} or a visible {@code (s, 0)} with {@code s <= v + k + r + 1}. Otherwise positions
 * are missing and a gap is reported (once, at the chunk after it), and the chunk is still delivered:
 * {@code (v, j)} with {@code j > k+1} misses seq-less chunks; {@code (s, 0)} with larger {@code s}
 * misses seqs {@code v+k+r+1 .. s-1}; {@code (s, j)} with {@code s > v} misses seq {@code s}'s chunk
 * (and any numbers before it). Before the first chunk, {@code v} is the attached record's
 * {@code starting_after} (else 0) and {@code k = 0}.
 *
 * <p><b>Recorded gaps.</b> A {@code run.gap} record says the recorder found seqs missing itself (the
 * server no longer had them). It is reported as a gap where it stands, and the seqs it covers are
 * not reported again at the chunk after them. A {@code run.gap} that ends below the next expected
 * number repeats one already taken (a restarted recorder found it again): it reports nothing.
 *
 * <p><b>End.</b> The first terminal recorder record ends the run; without one, a terminal chunk
 * ({@link #isTerminalChunk}) means it ended in content only; without either it is truncated.
 *
 * <p>Not thread-safe: one sequencer per run.
 */
public final class RunSequencer {

    /** What to do with a record. */
    public enum Verdict {
        DELIVER,
        DUPLICATE,
        KEEPALIVE
    }

    /**
     * Stored frames missing right before the last accepted record, found by the sequencer (not
     * recorded by the recorder), for folds that count or list them.
     *
     * @param after   the position they follow
     * @param missing how many stored frames are missing
     */
    public record MissingFrames(Position after, long missing) {}

    /**
     * Everything a sequencer knows, to save and restore it.
     *
     * @param highWater            the highest chunk position accepted, or null before any
     * @param base                 the attached record's {@code starting_after} (the numbers before the first chunk)
     * @param rejectedSinceHighWater chunk.rejected records since the high-water mark
     * @param recordedGapThrough   the last seq a recorded gap covered (0: none)
     * @param terminalChunk        whether a terminal chunk was accepted
     * @param terminalRecord       the first terminal recorder record's type, or null
     * @param recorderRecordIds    the {@code ce_id}s of the recorder records accepted
     */
    public record State(
            @JsonProperty("high_water") String highWater,
            @JsonProperty("base") long base,
            @JsonProperty("rejected_since_high_water") int rejectedSinceHighWater,
            @JsonProperty("recorded_gap_through") long recordedGapThrough,
            @JsonProperty("terminal_chunk") boolean terminalChunk,
            @JsonProperty("terminal_record") RecordType terminalRecord,
            @JsonProperty("recorder_record_ids") List<String> recorderRecordIds) {

        /** A run before its first record. */
        public static final State EMPTY = new State(null, 0, 0, 0, false, null, List.of());

        public State {
            recorderRecordIds = recorderRecordIds == null ? List.of() : List.copyOf(recorderRecordIds);
        }
    }

    private final Set<String> recorderRecordIds;
    private Position highWater;
    private long base;
    private int rejectedSinceHighWater;
    private boolean terminalChunk;
    private RecordType terminalRecord;
    private String pendingGap;
    private MissingFrames pendingMissing;
    private boolean pendingRecordedGap;
    private long recordedGapThrough;
    /** Joined mid-way, its start not seen yet: the first chunk is where the run starts for this reader. */
    private boolean joinedMidway;

    public RunSequencer() {
        this(State.EMPTY);
    }

    /**
     * A sequencer for a reader that joins the run mid-way (it started at the log's end, as {@code consumer follow}
     * does): no gap is reported before the first chunk it sees, unless the run's {@code run.attached} came first.
     */
    public static RunSequencer joiningMidway() {
        RunSequencer sequencer = new RunSequencer();
        sequencer.joinedMidway = true;
        return sequencer;
    }

    /** A sequencer going on from a saved {@link #state()}. */
    public RunSequencer(State state) {
        Objects.requireNonNull(state, "state");
        this.highWater = state.highWater() == null ? null : Position.parse(state.highWater());
        this.base = state.base();
        this.rejectedSinceHighWater = state.rejectedSinceHighWater();
        this.recordedGapThrough = state.recordedGapThrough();
        this.terminalChunk = state.terminalChunk();
        this.terminalRecord = state.terminalRecord();
        this.recorderRecordIds = new LinkedHashSet<>(state.recorderRecordIds());
    }

    public State state() {
        return new State(
                highWater == null ? null : highWater.toString(),
                base,
                rejectedSinceHighWater,
                recordedGapThrough,
                terminalChunk,
                terminalRecord,
                List.copyOf(recorderRecordIds));
    }

    /** True for the chunks after which the server sends no more content: stop reasons and errors. */
    public static boolean isTerminalChunk(String messageType, String sseEvent) {
        return "stop_reason".equals(messageType)
                || "error_message".equals(messageType)
                || (messageType == null && sseEvent != null);
    }

    /**
     * Takes the next chunk of the run.
     *
     * @param position    its position
     * @param messageType its {@code message_type}, or null
     * @param sseEvent    the SSE event it arrived with, or null
     */
    public Verdict acceptChunk(Position position, String messageType, String sseEvent) {
        clearPending();
        if (highWater != null && !position.isAfter(highWater)) {
            return "ping".equals(messageType) ? Verdict.KEEPALIVE : Verdict.DUPLICATE;
        }
        occupy(position);
        terminalChunk |= isTerminalChunk(messageType, sseEvent);
        return Verdict.DELIVER;
    }

    /** A frame at {@code position}, after the high-water mark, is the run's next: what is missing before it is a gap. */
    private void occupy(Position position) {
        String missing = joinedMidway && highWater == null ? null : missingBefore(position);
        joinedMidway = false;
        if (missing != null) {
            pendingGap = "missing " + missing + " before position " + position;
        }
        highWater = position;
        rejectedSinceHighWater = 0;
    }

    /**
     * Takes the next recorder record of the run.
     *
     * @param id    its {@code ce_id}, or null when unknown (never taken for a repeat)
     * @param type  its type
     * @param event its value
     */
    public Verdict acceptRecord(String id, RecordType type, LifecycleEvent event) {
        return acceptRecord(id, type, event, null);
    }

    /**
     * Takes the next recorder record of the run, with its position ({@code ce_lsrposition}): a {@code
     * chunk.rejected} occupies the position of the frame it stands for, like a chunk (seqs missing before it are a
     * gap, and the chunks after it follow it). Without a position a rejection only counts as a number taken.
     *
     * @param position the record's position, or null when unknown
     */
    public Verdict acceptRecord(String id, RecordType type, LifecycleEvent event, Position position) {
        clearPending();
        if (id != null && !recorderRecordIds.add(id)) {
            return Verdict.DUPLICATE;
        }
        if (event instanceof RunAttached attached && highWater == null) {
            base = Math.max(0, attached.startingAfter());
            joinedMidway = false;
        }
        if (type == RecordType.CHUNK_REJECTED) {
            if (position == null) {
                rejectedSinceHighWater++;
            } else if (highWater == null || position.isAfter(highWater)) {
                occupy(position);
            }
        }
        if (event instanceof RunGap gap) {
            pendingGap = recordedGap(gap);
        }
        if (type.isTerminal() && terminalRecord == null) {
            terminalRecord = type;
        }
        return Verdict.DELIVER;
    }

    /**
     * Takes the place of a chunk that is skipped (malformed value, unknown type) so that it leaves
     * no gap of its own; what is missing before it is a gap ({@link #gap()}), as before a chunk. A repeat of a
     * seen position changes nothing.
     */
    public void skip(Position position) {
        clearPending();
        if (highWater == null || position.isAfter(highWater)) {
            occupy(position);
        }
    }

    private void clearPending() {
        pendingGap = null;
        pendingMissing = null;
        pendingRecordedGap = false;
    }

    /** What the last accepted record found missing right before it (one line), or null. */
    public String gap() {
        return pendingGap;
    }

    /**
     * The frames the sequencer found missing right before the last accepted record (for a
     * {@code run.gap}: right before the seqs it covers), or null.
     */
    public MissingFrames missingFrames() {
        return pendingMissing;
    }

    /** True when the last accepted record was a {@code run.gap} that is new (no repeat of one taken). */
    public boolean recordedGapTaken() {
        return pendingRecordedGap;
    }

    /** The position the next frame's number follows: the high-water mark, or the end of a recorded gap past it. */
    private Position numberedThrough() {
        Position last = highWater == null ? Position.ofSeq(base) : highWater;
        return recordedGapThrough + 1 > last.nextNumber() + rejectedSinceHighWater
                ? Position.ofSeq(recordedGapThrough)
                : last;
    }

    /** The number the next stored frame should have: right after the high-water mark, rejections and recorded gaps. */
    private long nextNumber() {
        Position last = highWater == null ? Position.ofSeq(base) : highWater;
        return Math.max(last.nextNumber() + rejectedSinceHighWater, recordedGapThrough + 1);
    }

    private String missingBefore(Position position) {
        long v = highWater == null ? base : highWater.seq();
        int k = highWater == null ? 0 : highWater.sub();
        long nextHidden = nextNumber();
        Position after = numberedThrough();
        if (position.sub() == 0) {
            if (position.seq() <= nextHidden) {
                return null;
            }
            pendingMissing = new MissingFrames(after, position.seq() - nextHidden);
            return seqs(nextHidden, position.seq() - 1);
        }
        if (position.seq() == v) {
            if (position.sub() <= k + 1) {
                return null;
            }
            pendingMissing = new MissingFrames(after, position.sub() - k - 1);
            return "seq-less chunks at " + new Position(v, k + 1) + " .. " + new Position(v, position.sub() - 1);
        }
        if (position.seq() <= recordedGapThrough) {
            return null;
        }
        if (position.seq() > nextHidden) {
            pendingMissing = new MissingFrames(after, position.seq() - nextHidden + 1);
            return seqs(nextHidden, position.seq());
        }
        pendingMissing = new MissingFrames(after, 1);
        return "the chunk at seq " + position.seq();
    }

    private static String seqs(long from, long to) {
        return from == to ? "seq " + from : "seqs " + from + " .. " + to;
    }

    /** The gap of a {@code run.gap}, with any seqs missing right before it that it does not cover. */
    private String recordedGap(RunGap gap) {
        long next = nextNumber();
        if (gap.to() != null && gap.to() < next) {
            return null;
        }
        pendingRecordedGap = true;
        boolean startsHere = joinedMidway && highWater == null;
        joinedMidway = false;
        if (startsHere) {
            next = gap.from(); // a reader that joins at the gap has not missed what came before it
        }
        if (gap.from() > next) {
            pendingMissing = new MissingFrames(numberedThrough(), gap.from() - next);
        }
        String before = gap.from() > next ? seqs(next, gap.from() - 1) + " and " : "";
        recordedGapThrough = Math.max(recordedGapThrough, gap.to() == null ? Long.MAX_VALUE - 1 : gap.to());
        return "missing " + before
                + (gap.to() == null ? "seqs from " + gap.from() + " to the end of the run" : seqs(gap.from(), gap.to()))
                + " (recorded by the recorder: " + gap.cause() + ")";
    }

    /** True once a terminal recorder record was accepted. */
    public boolean endedByRecorder() {
        return terminalRecord != null;
    }

    /** The first terminal recorder record's type, or null. */
    public RecordType terminalRecord() {
        return terminalRecord;
    }

    /** True when a terminal chunk was accepted (a stop reason or an error frame). */
    public boolean endedInContent() {
        return terminalChunk;
    }

    /** The highest chunk position accepted, or null. */
    public Position highWater() {
        return highWater;
    }
}
