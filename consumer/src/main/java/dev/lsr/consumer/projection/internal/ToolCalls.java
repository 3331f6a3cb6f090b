package dev.lsr.consumer.projection.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The tool calls a tool-call or approval chunk carries, in token mode and in step mode alike. */
public final class ToolCalls {

    private ToolCalls() {}

    /**
     * Every call of the chunk: the {@code tool_calls} array in step mode, else the {@code tool_call}
     * delta object, else a {@code tool_calls} delta object.
     */
    public static List<JsonNode> of(JsonNode chunk) {
        JsonNode array = chunk.get("tool_calls");
        List<JsonNode> calls = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(calls::add);
        } else if (Js.isRecord(chunk.get("tool_call"))) {
            calls.add(chunk.get("tool_call"));
        } else if (Js.isRecord(array)) {
            calls.add(array);
        }
        return calls;
    }
}
