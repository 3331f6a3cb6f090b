package dev.lsr.replay.internal;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.MalformedChunkException;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;

/**
 * What one stream response sends for each record of its run, in log order: Letta's reader rules
 * (protocol §3.2) on the log. A stored frame is sent when its number is above {@code starting_after}
 * (a chunk at position {@code (v, k)} is Letta's frame number {@code v + k}: seq-less frames take the
 * numbers after their base, record-format.md); the response ends after the first final frame, which is
 * an {@code event: error} chunk or the {@code [DONE]} that {@code run.finished} stands for. Records
 * are taken at most once (by offset, then by position), so a catch-up read and the live feed may
 * overlap.
 */
final class StreamCursor {

    /** What to write for a record (null: nothing) and whether the response ends after it. */
    record Step(byte[] frame, boolean end) {
        static final Step NOTHING = new Step(null, false);
        static final Step END = new Step(null, true);
    }

    private final long startingAfter;
    private long lastOffset = -1;
    private Position highWater;
    private long lastSeqShown = -1;
    private byte[] lastShownWithSeq;
    private long lastNumber;
    private boolean ended;
    private boolean endUnread;

    StreamCursor(long startingAfter) {
        this.startingAfter = startingAfter;
    }

    Step take(long offset, ChunkLogRecord record) {
        if (ended || offset <= lastOffset) {
            return Step.NOTHING;
        }
        lastOffset = offset;
        RecordType type = record.type();
        if (type == RecordType.CHUNK) {
            return chunk(record);
        }
        if (type == RecordType.RUN_FINISHED) {
            ended = true;
            // [DONE] took the number after the last stored frame; a cursor at or past it sees no frame. After a gap
            // to the run's end the recorder read no [DONE]: none is made up
            return lastNumber + 1 > startingAfter && !endUnread ? new Step(SseFrames.DONE, true) : Step.END;
        }
        if (type == RecordType.RUN_GAP) {
            endUnread |= UnreadEnd.marks(record);
            return Step.NOTHING;
        }
        if (type.isTerminal()) {
            // expired, gone, not resumable, abandoned: Letta's stream had no [DONE] the recorder saw
            ended = true;
            return Step.END;
        }
        // attached, resumed, gap, connection.error, chunk.rejected: nothing Letta's stream shows
        return Step.NOTHING;
    }

    private Step chunk(ChunkLogRecord record) {
        Position position = record.position();
        if (highWater != null && !position.isAfter(highWater)) {
            return Step.NOTHING;
        }
        highWater = position;
        lastNumber = position.number();
        boolean errorFrame = "error".equals(record.envelope().sseEvent());
        if (lastNumber <= startingAfter) {
            if (errorFrame) {
                ended = true; // Letta's reader stops at the final entry even when it skips it
                return Step.END;
            }
            return Step.NOTHING;
        }
        byte[] frame = SseFrames.frame(record.envelope().sseEvent(), record.value());
        if (position.sub() == 0) {
            lastShownWithSeq = record.value(); // parsed only when a keepalive ping needs its seq
        }
        if (errorFrame) {
            ended = true;
        }
        return new Step(frame, errorFrame);
    }

    private static Long seqOf(byte[] value) {
        try {
            return ChunkPeek.of(value).seqId();
        } catch (MalformedChunkException e) {
            return null;
        }
    }

    /** The last seq_id this response showed (what Letta's keepalive ping repeats), or -1. */
    long lastSeqShown() {
        if (lastShownWithSeq != null) {
            Long seq = seqOf(lastShownWithSeq);
            lastSeqShown = seq != null && seq >= 0 ? seq : lastSeqShown;
            lastShownWithSeq = null;
        }
        return lastSeqShown;
    }

    boolean ended() {
        return ended;
    }
}
