package dev.lsr.recorder.internal.drain;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/** Builds the log records of a run: envelopes with the source, the run's ids and the receipt time. */
public final class RecordFactory {

    private final String source;
    private final Clock clock;

    /**
     * @param source the Letta base URL without credentials ({@code ce_source})
     * @param clock  receipt times
     */
    public RecordFactory(String source, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Clock clock() {
        return clock;
    }

    /** A chunk: the payload exactly as received. */
    public ChunkLogRecord chunk(RunCursor run, Position position, String sseEvent, byte[] payload) {
        Envelope envelope = Envelope.chunk(
                source, run.runId(), position, sseEvent, clock.instant(), run.agentId(), run.conversationId());
        return new ChunkLogRecord(envelope, payload);
    }

    /** A frame that could not be appended as a chunk; it holds the frame's position, like a chunk would. */
    public ChunkLogRecord rejected(RunCursor run, Position position, LifecycleEvent.ChunkRejected value) {
        Envelope envelope = Envelope.recorderRecord(
                RecordType.CHUNK_REJECTED,
                run.runId() + "/rejected/" + position,
                source,
                run.runId(),
                position,
                clock.instant(),
                run.agentId(),
                run.conversationId());
        return new ChunkLogRecord(envelope, value.toJson());
    }

    /**
     * A {@code run.gap} record, at the run's last appended position. Its id, {@code <run>/gap/<from>}, is
     * the same when a restarted recorder finds the same gap again, so readers drop the repeat.
     */
    public ChunkLogRecord gap(RunCursor run, LifecycleEvent.RunGap value) {
        Envelope envelope = Envelope.recorderRecord(
                RecordType.RUN_GAP,
                run.runId() + "/gap/" + value.from(),
                source,
                run.runId(),
                run.lastAppended(),
                clock.instant(),
                run.agentId(),
                run.conversationId());
        return new ChunkLogRecord(envelope, value.toJson());
    }

    /** A lifecycle record, at the run's last appended position; its id is {@code <run>/<kind>/<uuid>}, e.g. {@code run-1/resumed/...}. */
    public ChunkLogRecord lifecycle(RunCursor run, LifecycleEvent value) {
        String type = value.type().cloudEventType();
        String id = run.runId() + "/" + type.substring(type.lastIndexOf('.') + 1) + "/" + UUID.randomUUID();
        Envelope envelope = Envelope.recorderRecord(
                value.type(),
                id,
                source,
                run.runId(),
                run.lastAppended(),
                clock.instant(),
                run.agentId(),
                run.conversationId());
        return new ChunkLogRecord(envelope, value.toJson());
    }
}
