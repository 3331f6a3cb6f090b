package dev.lsr.consumer.projection.summary;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.consumer.projection.internal.Js;
import dev.lsr.consumer.projection.internal.ToolCalls;
import java.util.Map;
import java.util.TreeMap;

/** Tool call bookkeeping for the summary: distinct calls with their names, error returns. */
final class ToolCallTally {

    private ToolCallTally() {}

    /** Records every call of a tool call or approval chunk (token deltas and step-mode arrays alike). */
    static void collect(JsonNode json, Map<String, String> names) {
        for (JsonNode call : ToolCalls.of(json)) {
            String id = Js.truthyString(call, "tool_call_id");
            if (id == null) {
                continue;
            }
            String name = Js.truthyString(call, "name");
            String known = names.get(id);
            if (known == null || (known.isEmpty() && name != null)) {
                names.put(id, name != null ? name : "");
            }
        }
    }

    /** The number of returns with {@code status: error} in a tool return chunk. */
    static long errors(JsonNode json) {
        JsonNode array = json.get("tool_returns");
        if (array != null && array.isArray() && !array.isEmpty()) {
            long errors = 0;
            for (JsonNode ret : array) {
                errors += "error".equals(Js.string(ret, "status")) ? 1 : 0;
            }
            return errors;
        }
        return "error".equals(Js.string(json, "status")) ? 1 : 0;
    }

    /** Calls per tool name, sorted by name; calls whose name never arrived count as {@code unknown}. */
    static Map<String, Long> countByName(Map<String, String> toolCallNames) {
        Map<String, Long> counts = new TreeMap<>();
        for (String name : toolCallNames.values()) {
            counts.merge(name.isEmpty() ? "unknown" : name, 1L, Long::sum);
        }
        return counts;
    }
}
