package dev.lsr.consumer.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.MalformedChunkException;
import dev.lsr.consumer.reader.RunRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One Letta stream chunk as the projections read it: the parsed JSON of the SSE {@code data:} payload
 * and the SSE {@code event:} name it arrived with ({@code error}, {@code cancelled}) or null.
 *
 * <p>The JSON is treated as read-only by every projection.
 *
 * @param json     the chunk's JSON object, parsed from the exact bytes
 * @param sseEvent the SSE event name, or null for an ordinary {@code data:} frame
 */
public record Chunk(ObjectNode json, String sseEvent) {

    private static final ObjectReader READER =
            Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public Chunk {
        Objects.requireNonNull(json, "json");
    }

    /**
     * Parses a chunk payload.
     *
     * @throws MalformedChunkException when the bytes are not one JSON object
     */
    public static Chunk parse(byte[] payload, String sseEvent) {
        JsonNode node;
        try {
            node = READER.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new MalformedChunkException("chunk is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MalformedChunkException("chunk is unreadable: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new MalformedChunkException("chunk is not a JSON object");
        }
        return new Chunk((ObjectNode) node, sseEvent);
    }

    /**
     * Parses one line of a fixture-style JSONL file. Such files carry no SSE event names, so an
     * {@code error_message} chunk, or a writer-level {@code {"error": ...}} object without
     * {@code message_type}, is taken to have arrived as {@code event: error} (the only way Letta sends them).
     */
    public static Chunk fromJsonLine(String line) {
        Chunk parsed = parse(line.getBytes(StandardCharsets.UTF_8), null);
        return parsed.looksLikeErrorFrame() ? new Chunk(parsed.json, "error") : parsed;
    }

    /**
     * The chunk of a record the reader read: the tree the reader parsed (read-only, no second parse)
     * and the SSE event it arrived with; parsed here only when the reader kept no tree.
     *
     * @throws MalformedChunkException when the reader kept no tree and the bytes are not one JSON object
     * @throws IllegalArgumentException for a recorder record
     */
    public static Chunk of(RunRecord record) {
        if (!record.isChunk()) {
            throw new IllegalArgumentException("not a chunk: " + record.type());
        }
        String sseEvent = record.envelope().sseEvent();
        return record.json() != null
                ? new Chunk(record.json(), sseEvent)
                : parse(record.record().value(), sseEvent);
    }

    /** An ordinary data chunk (no SSE event name). */
    public static Chunk of(ObjectNode json) {
        return new Chunk(json, null);
    }

    /** The {@code message_type}, or null. */
    public String messageType() {
        JsonNode type = json.get("message_type");
        return type != null && type.isTextual() ? type.textValue() : null;
    }

    /** Arrived as {@code event: error}: the Letta SDK throws on it, ending the drain. */
    public boolean isErrorEvent() {
        return "error".equals(sseEvent);
    }

    /** Arrived with another SSE event name (e.g. {@code cancelled}): the Letta SDK silently drops it. */
    public boolean isDroppedEvent() {
        return sseEvent != null && !isErrorEvent();
    }

    /** The chunk's {@code run_id} when it is a non-empty string, else null. */
    public String runId() {
        JsonNode runId = json.get("run_id");
        return runId != null && runId.isTextual() && !runId.textValue().isEmpty() ? runId.textValue() : null;
    }

    /** The chunk's integral {@code seq_id}, or null. */
    public Long seqId() {
        JsonNode seq = json.get("seq_id");
        if (seq == null || !seq.isNumber()) {
            return null;
        }
        if (seq.isIntegralNumber() && seq.canConvertToLong()) {
            return seq.longValue();
        }
        double d = seq.doubleValue();
        return d == Math.rint(d) && Math.abs(d) < 9.0e15 ? (long) d : null;
    }

    private boolean looksLikeErrorFrame() {
        String type = messageType();
        return "error_message".equals(type) || (!json.has("message_type") && json.has("error"));
    }
}
