package dev.lsr.recorder.log;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import java.time.Instant;

/** Chunk-log records for integration tests. */
final class Records {

    static final String SOURCE = "http://127.0.0.1:8283";

    private Records() {}

    static ChunkLogRecord chunk(String runId, long seq) {
        return chunk(
                runId,
                seq,
                "{\"message_type\":\"assistant_message\",\"run_id\":\"" + runId + "\",\"seq_id\":" + seq
                        + ",\"content\":\"part " + seq + "\"}");
    }

    static ChunkLogRecord chunk(String runId, long seq, String json) {
        return new ChunkLogRecord(
                Envelope.chunk(SOURCE, runId, Position.ofSeq(seq), null, Instant.now(), "agent-1", "conv-1"),
                json.getBytes(UTF_8));
    }

    static ChunkLogRecord finished(String runId, long lastSeq) {
        return terminal(
                RecordType.RUN_FINISHED,
                runId + "/finished",
                runId,
                lastSeq,
                new LifecycleEvent.RunFinished("end_turn", "completed", null).toJson());
    }

    /** Letta answered 410 for the run's stream. */
    static ChunkLogRecord expired(String runId, long lastSeq) {
        return terminal(
                RecordType.RUN_EXPIRED,
                runId + "/expired",
                runId,
                lastSeq,
                new LifecycleEvent.RunRefused(RecordType.RUN_EXPIRED, 410, "stream expired").toJson());
    }

    /** No progress while Letta said the run was active (a stuck run). */
    static ChunkLogRecord abandoned(String runId, long lastSeq) {
        return terminal(
                RecordType.RUN_ABANDONED,
                runId + "/abandoned",
                runId,
                lastSeq,
                new LifecycleEvent.RunAbandoned("running", Instant.now(), 60_000).toJson());
    }

    private static ChunkLogRecord terminal(RecordType type, String id, String runId, long lastSeq, byte[] json) {
        return new ChunkLogRecord(
                Envelope.recorderRecord(
                        type, id, SOURCE, runId, Position.ofSeq(lastSeq), Instant.now(), "agent-1", "conv-1"),
                json);
    }

    /** A chunk of {@code size} bytes or more. */
    static ChunkLogRecord bigChunk(String runId, long seq, int size) {
        return chunk(
                runId,
                seq,
                "{\"message_type\":\"tool_return_message\",\"run_id\":\"" + runId + "\",\"seq_id\":" + seq
                        + ",\"tool_return\":\"" + "x".repeat(size) + "\"}");
    }

    /** A description of a record for assertions: {@code 7} for a chunk, {@code rejected@7}, {@code finished@7}. */
    static String describe(ChunkLogRecord record) {
        return switch (record.type()) {
            case CHUNK -> record.position().toString();
            case CHUNK_REJECTED -> "rejected@" + record.position();
            case RUN_FINISHED -> "finished@" + record.position();
            default -> record.type() + "@" + record.position();
        };
    }
}
