package dev.lsr.recorder.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.RunState;
import java.time.Instant;

/** Records for tests. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2026-03-14T17:24:20Z");
    static final PartitionId P3 = new PartitionId("letta.chunks", 3);

    private Fixtures() {}

    static ChunkLogRecord chunk(String runId, long seq) {
        return chunk(
                runId,
                seq,
                "{\"message_type\":\"assistant_message\",\"run_id\":\"" + runId + "\",\"seq_id\":" + seq + "}");
    }

    static ChunkLogRecord chunk(String runId, long seq, String json) {
        return new ChunkLogRecord(
                Envelope.chunk("http://127.0.0.1:8283", runId, Position.ofSeq(seq), null, T0, "agent-1", null),
                json.getBytes(UTF_8));
    }

    static ChunkLogRecord finished(String runId, Position last) {
        LifecycleEvent.RunFinished event = new LifecycleEvent.RunFinished("end_turn", "completed", null);
        return new ChunkLogRecord(
                Envelope.recorderRecord(
                        RecordType.RUN_FINISHED,
                        runId + "/finished",
                        "http://127.0.0.1:8283",
                        runId,
                        last,
                        T0,
                        null,
                        "conv-1"),
                event.toJson());
    }

    static Pending pending(ChunkLogRecord record, RunState stateAfter) {
        return Pending.of(record, stateAfter, P3, T0);
    }
}
