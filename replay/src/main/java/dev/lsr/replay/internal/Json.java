package dev.lsr.replay.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.MalformedChunkException;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The server's one JSON mapper and the lenient reads the index needs (a bad value reads as null). */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** The value's tree, or null when it is not JSON. */
    static JsonNode tree(byte[] value) {
        try {
            return MAPPER.readTree(value);
        } catch (IOException e) {
            return null;
        }
    }

    static JsonNode field(byte[] value, String name) {
        JsonNode tree = tree(value);
        return tree == null ? null : tree.get(name);
    }

    /** A text field, or null when absent, null or not text. */
    static String text(JsonNode node, String name) {
        if (node == null) {
            return null;
        }
        JsonNode field = node.get(name);
        return field == null || !field.isTextual() ? null : field.asText();
    }

    /** The chunk's {@code message_type}, or null (also for a value that is not a JSON object). */
    static String messageType(byte[] chunk) {
        try {
            return ChunkPeek.of(chunk).messageType();
        } catch (MalformedChunkException e) {
            return null;
        }
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
