package dev.lsr.sim.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one Jackson mapper of the simulator, configured once and shared (thread-safe). */
public final class Json {

    /** Shared mapper: compact output (no spaces), insertion-ordered object nodes. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** Parses JSON text; null when it is not JSON. */
    public static JsonNode parseOrNull(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A new empty object node (fields keep insertion order). */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Compact JSON text of a node. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize JSON node", e);
        }
    }
}
