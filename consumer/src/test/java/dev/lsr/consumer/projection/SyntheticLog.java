package dev.lsr.consumer.projection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.PositionAssigner;
import dev.lsr.chunklog.RecordType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Builds a run's chunk-log records as the recorder would write them: chunk envelopes with positions per
 * chunk-log's {@link Position} rule and synthetic receipt times, plus lifecycle records.
 */
public final class SyntheticLog {

    public static final String SOURCE = "http://127.0.0.1:8283";
    public static final String AGENT = "agent-5b8f0d3e";
    public static final String CONVERSATION = "conv-0c2e4b1a";

    private final String runId;
    private final List<ChunkLogRecord> records = new ArrayList<>();
    private Instant clock;
    private final PositionAssigner positions = PositionAssigner.fromStart();
    private Position lastPosition = Position.START;

    public SyntheticLog(String runId, Instant start) {
        this.runId = runId;
        this.clock = start;
    }

    public Instant now() {
        return clock;
    }

    public SyntheticLog attached() {
        return lifecycle(new LifecycleEvent.RunAttached("stream", 0, null), "attached");
    }

    public SyntheticLog resumed(int attempt, long startingAfter, String cause) {
        return lifecycle(new LifecycleEvent.RunResumed(attempt, startingAfter, cause), "resumed/" + attempt);
    }

    public SyntheticLog finished(String stopReason, String status) {
        ObjectNode run = Json.MAPPER.createObjectNode().put("id", runId).put("status", status);
        return lifecycle(new LifecycleEvent.RunFinished(stopReason, status, run), "finished");
    }

    public SyntheticLog rejected(String reason, String prefix) {
        return lifecycle(
                new LifecycleEvent.ChunkRejected(reason, "bad frame", null, prefix.length(), prefix), "rejected");
    }

    /** A {@code run.expired} record: the server no longer had the run. */
    public SyntheticLog expired() {
        return lifecycle(new LifecycleEvent.RunRefused(RecordType.RUN_EXPIRED, 410, "expired"), "expired");
    }

    /** A {@code run.gap} record: seqs {@code from .. to} ({@code to} null: to the end) are gone. */
    public SyntheticLog gap(long from, Long to, String cause) {
        return lifecycle(new LifecycleEvent.RunGap(from, to, cause), "gap/" + from);
    }

    /** A {@code connection.error}: Letta Cloud cut the connection on a deploy; it takes no position. */
    public SyntheticLog connectionError() {
        try {
            return lifecycle(
                    new LifecycleEvent.ConnectionError(
                            "error",
                            Json.MAPPER.readTree(
                                    "{\"message_type\":\"error_message\",\"error_code\":\"cloud_api_deployment_interrupted\",\"retryable\":true}")),
                    "error/" + records.size());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A frame the recorder could not record as a chunk ({@code chunk.rejected}), at the position the frame has: its
     * {@code seqId}, or the next seq-less position when null.
     */
    public SyntheticLog rejectedFrame(Long seqId, String reason, String prefix) {
        lastPosition = positions.next(seqId);
        return lifecycle(
                new LifecycleEvent.ChunkRejected(reason, "bad frame", null, prefix.length(), prefix),
                "rejected/" + lastPosition);
    }

    public SyntheticLog after(Duration pause) {
        clock = clock.plus(pause);
        return this;
    }

    /** Fixture JSONL lines, one every {@code step} (an error_message line arrives as {@code event: error}). */
    public SyntheticLog chunks(List<String> lines, Duration step) {
        return chunks(lines, line -> step.toNanos());
    }

    /** Fixture JSONL lines, each received {@code gapNanos(line)} after the previous record. */
    public SyntheticLog chunks(List<String> lines, ToLongFunction<String> gapNanos) {
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            clock = clock.plusNanos(gapNanos.applyAsLong(line));
            Chunk chunk = Chunk.fromJsonLine(line);
            Position position = positions.next(chunk.seqId());
            lastPosition = position;
            records.add(new ChunkLogRecord(
                    Envelope.chunk(SOURCE, runId, position, chunk.sseEvent(), clock, AGENT, CONVERSATION),
                    line.getBytes(StandardCharsets.UTF_8)));
        }
        return this;
    }

    /** A chunk record whose value is not JSON (never written by the recorder, but a reader must survive it). */
    public SyntheticLog garbageChunk(String text) {
        lastPosition = lastPosition.nextSub();
        records.add(new ChunkLogRecord(
                Envelope.chunk(SOURCE, runId, lastPosition, null, clock, AGENT, CONVERSATION),
                text.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    public List<ChunkLogRecord> records() {
        return List.copyOf(records);
    }

    private SyntheticLog lifecycle(LifecycleEvent event, String idSuffix) {
        Envelope envelope = Envelope.recorderRecord(
                event.type(), runId + "/" + idSuffix, SOURCE, runId, lastPosition, clock, AGENT, CONVERSATION);
        records.add(new ChunkLogRecord(envelope, event.toJson()));
        return this;
    }
}
