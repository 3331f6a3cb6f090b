package dev.lsr.chunklog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The few top-level fields of a Letta chunk that routing and positioning need, read with a streaming
 * parser (no tree): {@code message_type}, {@code run_id}, {@code seq_id}.
 *
 * @param messageType the {@code message_type}, or null (e.g. a writer-level {@code {"error": ...}} frame)
 * @param runId       the {@code run_id}, or null when absent or null
 * @param seqId       the {@code seq_id}, or null when absent or null
 */
public record ChunkPeek(String messageType, String runId, Long seqId) {

    private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

    /**
     * Peeks at a chunk's JSON: a byte scan for plain chunks ({@link ChunkScanner}, most of them), the
     * streaming parser for the rest, with the same answers.
     *
     * @throws MalformedChunkException when the bytes are not one JSON object
     */
    public static ChunkPeek of(byte[] json) {
        ChunkPeek scanned = ChunkScanner.peek(json);
        return scanned != null ? scanned : parse(json);
    }

    /** The streaming parser's peek: the reference the scanner is held to, and its fallback. */
    static ChunkPeek parse(byte[] json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedChunkException("chunk is not a JSON object");
            }
            String messageType = null;
            String runId = null;
            Long seqId = null;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "message_type" -> messageType = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "run_id" -> runId = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "seq_id" -> seqId = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : null;
                    default -> {}
                }
                // an object or an array, under any field (one of the three included: no value then), is skipped whole
                parser.skipChildren();
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new MalformedChunkException("chunk has trailing content after its JSON object");
            }
            return new ChunkPeek(messageType, runId, seqId);
        } catch (IOException e) {
            throw new MalformedChunkException(
                    "chunk is not valid JSON: "
                            + (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
                                    ? jpe.getOriginalMessage()
                                    : e.getMessage()),
                    e);
        }
    }

    public boolean isPing() {
        return "ping".equals(messageType);
    }
}
