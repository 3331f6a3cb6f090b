package dev.lsr.chunklog;

import java.time.Instant;
import java.util.Objects;

/**
 * Everything about a record except its value: what it is, which run and where in it, when the
 * recorder received it. Written as CloudEvents (binary content mode) Kafka headers by
 * {@link EnvelopeHeaders}.
 *
 * @param formatVersion the chunk-log format version the record was written with
 * @param type          chunk or one of the lifecycle types
 * @param id            unique per record; for chunks {@code <runId>/<position>}, the dedupe key
 * @param source        where the data came from: the Letta base URL, without credentials
 * @param runId         the run; also the record key
 * @param position      the chunk's position in the run; for lifecycle records the run's last
 *                      appended position when it was written (may be {@link Position#START})
 * @param sseEvent      the SSE {@code event:} name ({@code error}, {@code cancelled}) or null
 * @param receivedAt    when the recorder received the frame (or wrote the lifecycle record)
 * @param agentId       the run's agent, when known, else null
 * @param conversationId the run's conversation, when known, else null
 */
public record Envelope(
        int formatVersion,
        RecordType type,
        String id,
        String source,
        String runId,
        Position position,
        String sseEvent,
        Instant receivedAt,
        String agentId,
        String conversationId) {

    public Envelope {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** The envelope of a chunk record in the current format version. */
    public static Envelope chunk(
            String source,
            String runId,
            Position position,
            String sseEvent,
            Instant receivedAt,
            String agentId,
            String conversationId) {
        return new Envelope(
                ChunkLogFormat.VERSION,
                RecordType.CHUNK,
                chunkId(runId, position),
                source,
                runId,
                position,
                sseEvent,
                receivedAt,
                agentId,
                conversationId);
    }

    /** The envelope of a record the recorder writes itself (lifecycle or rejected chunk). */
    public static Envelope recorderRecord(
            RecordType type,
            String id,
            String source,
            String runId,
            Position position,
            Instant receivedAt,
            String agentId,
            String conversationId) {
        return new Envelope(
                ChunkLogFormat.VERSION, type, id, source, runId, position, null, receivedAt, agentId, conversationId);
    }

    public static String chunkId(String runId, Position position) {
        return runId + "/" + position;
    }

    public boolean isChunk() {
        return type == RecordType.CHUNK;
    }
}
