package dev.lsr.replay.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.RecordType;
import java.time.Instant;

/**
 * What the index knows of one run: where its records start in its partition (so a reader seeks there
 * instead of reading the partition from its beginning), where they end once the run ended, and what a
 * Run object is built from. Mutated only by the index thread; read by request threads through
 * {@link #snapshot()}.
 */
final class IndexedRun {

    /** An immutable copy for request threads. */
    record Snapshot(
            String runId,
            int partition,
            long firstOffset,
            long lastOffset,
            Instant firstRecordAt,
            Instant lastRecordAt,
            String agentId,
            String conversationId,
            Boolean background,
            String lastStopReason,
            RecordType terminal,
            String terminalStatus,
            Instant terminalAt,
            JsonNode recordedRun,
            JsonNode errorFrame,
            boolean headless,
            long firstChunkNumber,
            long lastChunkNumber,
            long lastChunkSeq,
            boolean endUnread) {

        boolean ended() {
            return terminal != null;
        }

        /**
         * Ended, but not with the {@code [DONE]} the recorder read: a terminal record other than {@code run.finished},
         * or a {@code run.finished} after a gap to the run's end ({@link UnreadEnd}).
         */
        boolean endedWithoutItsFinalFrame() {
            return ended() && (terminal != RecordType.RUN_FINISHED || endUnread);
        }

        /** The record that says so, for an answer: {@code run.gap} for an unread end, else the terminal record. */
        RecordType endedWithoutItsFinalFrameBy() {
            return endUnread ? RecordType.RUN_GAP : terminal;
        }

        /**
         * Whether the log still holds every frame numbered above {@code startingAfter}: always for a run
         * whose first record is in the log; for a headless one, only after the frames before its first
         * chunk still there (a run's records are deleted from the front, as its partition's are).
         */
        boolean holdsFramesAfter(long startingAfter) {
            return !headless || (firstChunkNumber >= 0 && startingAfter >= firstChunkNumber - 1);
        }
    }

    private final String runId;
    private final int partition;
    private final long firstOffset;
    private final Instant firstRecordAt;
    private long lastOffset;
    private Instant lastRecordAt;
    private String agentId;
    private String conversationId;
    private Boolean background;
    private String lastStopReason;
    private RecordType terminal;
    private String terminalStatus;
    private Instant terminalAt;
    private JsonNode recordedRun;
    private JsonNode errorFrame;
    private Boolean headless; // decided by the first record: null before it
    private long firstChunkNumber = -1;
    private long lastChunkNumber = -1;
    /** The highest {@code seq_id} a chunk carried (seq-less frames after it share it): what a client resumes from. */
    private long lastChunkSeq = -1;
    /** A {@code run.gap} to the run's end came before its terminal record ({@link UnreadEnd}). */
    private boolean endUnread;

    IndexedRun(String runId, int partition, long firstOffset, Instant firstRecordAt) {
        this.runId = runId;
        this.partition = partition;
        this.firstOffset = firstOffset;
        this.firstRecordAt = firstRecordAt;
        this.lastOffset = firstOffset;
        this.lastRecordAt = firstRecordAt;
    }

    int partition() {
        return partition;
    }

    /** Whether the first record taken was not the run's {@code run.attached} (a log that lost its start, or a stray). */
    synchronized boolean startedWithoutItsStart() {
        return Boolean.TRUE.equals(headless);
    }

    /** Takes in one record of the run, in log order. */
    synchronized void add(long offset, ChunkLogRecord record) {
        Envelope envelope = record.envelope();
        if (headless == null) {
            headless = startsHeadless(record.type());
        }
        if (record.type() == RecordType.CHUNK) {
            long number = record.position().number();
            lastChunkNumber = Math.max(lastChunkNumber, number); // a repeat of a lower position lowers nothing
            lastChunkSeq = Math.max(lastChunkSeq, record.position().seq());
            firstChunkNumber = firstChunkNumber < 0 ? number : firstChunkNumber;
        }
        lastOffset = offset;
        lastRecordAt = envelope.receivedAt();
        if (envelope.agentId() != null) {
            agentId = envelope.agentId();
        }
        if (envelope.conversationId() != null) {
            conversationId = envelope.conversationId();
        }
        if (terminal != null) {
            return; // nothing after a terminal record changes the run (the format forbids it)
        }
        switch (record.type()) {
            case CHUNK -> takeChunk(envelope, record.value());
            case RUN_GAP -> endUnread |= UnreadEnd.marks(record);
            case RUN_ATTACHED -> takeRunObject(Json.field(record.value(), "run"));
            case RUN_FINISHED -> {
                JsonNode value = Json.tree(record.value());
                takeRunObject(value == null ? null : value.get("run"));
                String stop = Json.text(value, "stop_reason");
                lastStopReason = stop != null ? stop : lastStopReason;
                endWith(record.type(), Json.text(value, "status"), envelope.receivedAt());
            }
            default -> {
                if (record.type().isTerminal()) {
                    endWith(record.type(), null, envelope.receivedAt());
                }
            }
        }
    }

    /**
     * Whether a run whose first record in the log is of this type lost its beginning: a recorder writes
     * {@code run.attached} first, or, for a run whose stream it never opened, one terminal record and
     * nothing else: {@code run.expired}, {@code run.gone} or {@code run.not_resumable} (refused at first
     * contact) or {@code run.abandoned} (no stream within the abandon time; record-format.md, "Order within
     * a run"). Anything else first means the records before it were deleted (the topic's retention,
     * {@code deleteRecords}). Such a terminal record alone left of a longer run looks the same, and is
     * served as such: no frames.
     */
    private static boolean startsHeadless(RecordType first) {
        return switch (first) {
            case RUN_ATTACHED, RUN_EXPIRED, RUN_GONE, RUN_NOT_RESUMABLE, RUN_ABANDONED -> false;
            default -> true;
        };
    }

    private void takeChunk(Envelope envelope, byte[] value) {
        String type = Json.messageType(value);
        if ("stop_reason".equals(type)) {
            lastStopReason = Json.text(Json.tree(value), "stop_reason");
        } else if ("error_message".equals(type) || "error".equals(envelope.sseEvent())) {
            errorFrame = Json.tree(value);
        }
    }

    private void takeRunObject(JsonNode run) {
        if (run == null || !run.isObject()) {
            return;
        }
        recordedRun = run;
        JsonNode bg = run.get("background");
        if (bg != null && bg.isBoolean()) {
            background = bg.asBoolean();
        }
        agentId = agentId == null ? Json.text(run, "agent_id") : agentId;
        conversationId = conversationId == null ? Json.text(run, "conversation_id") : conversationId;
    }

    private void endWith(RecordType type, String status, Instant at) {
        terminal = type;
        terminalStatus = status;
        terminalAt = at;
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(
                runId,
                partition,
                firstOffset,
                lastOffset,
                firstRecordAt,
                lastRecordAt,
                agentId,
                conversationId,
                background,
                lastStopReason,
                terminal,
                terminalStatus,
                terminalAt,
                recordedRun,
                errorFrame,
                Boolean.TRUE.equals(headless),
                firstChunkNumber,
                lastChunkNumber,
                lastChunkSeq,
                endUnread);
    }
}
