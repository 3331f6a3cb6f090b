package dev.lsr.consumer.reader.internal;

import dev.lsr.chunklog.LifecycleEvent.RunAttached;
import dev.lsr.chunklog.LifecycleEvent.RunGap;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.consumer.reader.LogLocation;
import dev.lsr.consumer.reader.ReadProblem;
import dev.lsr.consumer.reader.RunEnd;
import dev.lsr.consumer.reader.RunRecord;
import java.util.HashSet;
import java.util.Set;

/**
 * The per-run order keeper: drops repeated chunks and recorder records, finds gaps, and knows
 * whether the run's log has ended.
 *
 * <p><b>Duplicates.</b> The recorder appends a run's chunks in increasing position order, so a
 * chunk whose position is not after the run's highest position so far (its high-water mark) was
 * read before: it is dropped. Pings there are keepalives (they repeat the previous seq) and are
 * dropped silently; anything else counts as a duplicate. Recorder records are deduplicated by
 * their {@code ce_id}.
 *
 * <p><b>Gaps.</b> Let the high-water mark be {@code (v, k)}: the last visible seq {@code v}
 * followed by {@code k} seq-less chunks, each of which used one hidden seq number on the server
 * (stop_reason, usage_statistics). Let {@code r} be the chunk.rejected records since then (each
 * may have used one number). The next chunk is in order when it is {@code (v, k+1)} or a visible
 * {@code (s, 0)} with {@code s <= v + k + r + 1}. Otherwise positions are missing and a gap is
 * reported (once, at the chunk after it), and the chunk is still delivered:
 * {@code (v, j)} with {@code j > k+1} misses seq-less chunks; {@code (s, 0)} with larger {@code s}
 * misses seqs {@code v+k+r+1 .. s-1}; {@code (s, j)} with {@code s > v} misses seq {@code s}'s chunk
 * (and any numbers before it). Before the first chunk, {@code v} is the attached record's
 * {@code starting_after} (else 0) and {@code k = 0}.
 *
 * <p><b>Recorded gaps.</b> A {@code run.gap} record says the recorder found seqs missing itself (the
 * server no longer had them). It is reported as a gap where it stands, and the seqs it covers are
 * not reported again at the chunk after them.
 */
public final class RunSequencer {

    /** What to do with a record. */
    public enum Verdict { DELIVER, DUPLICATE, KEEPALIVE }

    private final String runId;
    private final Set<String> recorderRecordIds = new HashSet<>();
    private Position highWater;
    private long base;
    private int rejectedSinceHighWater;
    private boolean terminalChunk;
    private RecordType terminalRecord;
    private LogLocation lastLocation;
    private ReadProblem pendingGap;
    private long recordedGapThrough;

    public RunSequencer(String runId) {
        this.runId = runId;
    }

    public Verdict accept(RunRecord record) {
        pendingGap = null;
        return record.isChunk() ? acceptChunk(record) : acceptRecorderRecord(record);
    }

    /**
     * Takes the place of a chunk that is skipped (malformed value, unknown type) so that it leaves
     * no gap; a repeat of a seen position changes nothing.
     */
    public void skip(Position position, LogLocation location) {
        pendingGap = null;
        if (highWater == null || position.isAfter(highWater)) {
            highWater = position;
            rejectedSinceHighWater = 0;
        }
        lastLocation = location;
    }

    /** The gap found by the last {@link #accept}, or null. */
    public ReadProblem gap() {
        return pendingGap;
    }

    private Verdict acceptChunk(RunRecord record) {
        Position position = record.position();
        if (highWater != null && !position.isAfter(highWater)) {
            return record.peek().isPing() ? Verdict.KEEPALIVE : Verdict.DUPLICATE;
        }
        String missing = missingBefore(position);
        if (missing != null) {
            pendingGap = new ReadProblem(ReadProblem.Kind.GAP, runId, record.location(),
                    "missing " + missing + " before position " + position);
        }
        highWater = position;
        rejectedSinceHighWater = 0;
        terminalChunk |= MessageTypes.isTerminal(record.messageType(), record.record().envelope().sseEvent());
        lastLocation = record.location();
        return Verdict.DELIVER;
    }

    private String missingBefore(Position position) {
        long v = highWater == null ? base : highWater.seq();
        int k = highWater == null ? 0 : highWater.sub();
        long nextHidden = Math.max(v + k + rejectedSinceHighWater + 1, recordedGapThrough + 1);
        if (position.sub() == 0) {
            return position.seq() > nextHidden ? seqs(nextHidden, position.seq() - 1) : null;
        }
        if (position.seq() == v) {
            return position.sub() > k + 1
                    ? "seq-less chunks at " + new Position(v, k + 1) + " .. " + new Position(v, position.sub() - 1)
                    : null;
        }
        if (position.seq() <= recordedGapThrough) {
            return null;
        }
        return position.seq() > nextHidden ? seqs(nextHidden, position.seq()) : "the chunk at seq " + position.seq();
    }

    private static String seqs(long from, long to) {
        return from == to ? "seq " + from : "seqs " + from + " .. " + to;
    }

    private Verdict acceptRecorderRecord(RunRecord record) {
        if (!recorderRecordIds.add(record.record().envelope().id())) {
            return Verdict.DUPLICATE;
        }
        if (record.lifecycle() instanceof RunAttached attached && highWater == null) {
            base = Math.max(0, attached.startingAfter());
        }
        if (record.type() == RecordType.CHUNK_REJECTED) {
            rejectedSinceHighWater++;
        }
        if (record.lifecycle() instanceof RunGap gap) {
            pendingGap = recordedGap(gap, record.location());
        }
        if (record.type().isTerminal() && terminalRecord == null) {
            terminalRecord = record.type();
        }
        lastLocation = record.location();
        return Verdict.DELIVER;
    }

    /** The problem for a {@code run.gap}, with any seqs missing right before it that it does not cover. */
    private ReadProblem recordedGap(RunGap gap, LogLocation location) {
        long v = highWater == null ? base : highWater.seq();
        int k = highWater == null ? 0 : highWater.sub();
        long next = Math.max(v + k + rejectedSinceHighWater + 1, recordedGapThrough + 1);
        String before = gap.from() > next ? seqs(next, gap.from() - 1) + " and " : "";
        recordedGapThrough = Math.max(recordedGapThrough, gap.to() == null ? Long.MAX_VALUE - 1 : gap.to());
        return new ReadProblem(ReadProblem.Kind.GAP, runId, location, "missing " + before
                + (gap.to() == null ? "seqs from " + gap.from() + " to the end of the run" : seqs(gap.from(), gap.to()))
                + " (recorded by the recorder: " + gap.cause() + ")");
    }

    /** True once a terminal recorder record was accepted. */
    public boolean endedByRecorder() {
        return terminalRecord != null;
    }

    /** How the run's log ends, given everything accepted so far. */
    public RunEnd end() {
        if (terminalRecord != null) {
            return new RunEnd(runId, RunEnd.Outcome.ENDED, terminalRecord);
        }
        return new RunEnd(runId, terminalChunk ? RunEnd.Outcome.ENDED_IN_CONTENT : RunEnd.Outcome.TRUNCATED, null);
    }

    /** Where the last accepted record was read, or null. */
    public LogLocation lastLocation() {
        return lastLocation;
    }

    /** The highest chunk position accepted, or null. */
    public Position highWater() {
        return highWater;
    }
}
