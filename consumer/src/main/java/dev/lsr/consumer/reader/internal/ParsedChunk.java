package dev.lsr.consumer.reader.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.MalformedChunkException;
import java.io.IOException;

/**
 * A chunk's value parsed once, into the tree the projections read, with its {@link ChunkPeek} taken
 * from that tree. Whatever the tree cannot settle exactly as {@link ChunkPeek#of} would (bytes that
 * are not one JSON object, a {@code seq_id} beyond a long) is left to {@link ChunkPeek#of}, so a
 * malformed chunk is reported with the same reason as before, and a chunk the peek accepts but the
 * tree does not keeps no tree (the projection parses it, and fails, as it always did).
 *
 * @param peek the peek
 * @param json the tree, or null when only the peek could read the bytes
 */
record ParsedChunk(ChunkPeek peek, ObjectNode json) {

    private static final ObjectReader READER =
            Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * Parses a chunk.
     *
     * @throws MalformedChunkException exactly when {@link ChunkPeek#of} throws, with its message
     */
    static ParsedChunk of(byte[] value) {
        JsonNode tree;
        try {
            tree = READER.readTree(value);
        } catch (IOException e) {
            return new ParsedChunk(ChunkPeek.of(value), null);
        }
        if (!(tree instanceof ObjectNode object)) {
            return new ParsedChunk(ChunkPeek.of(value), null);
        }
        JsonNode seq = object.get("seq_id");
        if (seq != null && seq.isIntegralNumber() && !seq.canConvertToLong()) {
            return new ParsedChunk(ChunkPeek.of(value), null);
        }
        return new ParsedChunk(
                new ChunkPeek(
                        text(object.get("message_type")),
                        text(object.get("run_id")),
                        seq != null && seq.isIntegralNumber() ? seq.longValue() : null),
                object);
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }
}
