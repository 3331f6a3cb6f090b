package dev.lsr.consumer.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.Json;
import java.util.Map;

/** Hand-built Letta chunks for rule tests, shaped like the server's (base fields, then type fields). */
public final class TestChunks {

    private final String runId;

    public TestChunks(String runId) {
        this.runId = runId;
    }

    public ObjectNode base(String type, String id, String otid, Long seq) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("id", id);
        node.put("message_type", type);
        node.put("otid", otid);
        node.put("step_id", "step-1");
        if (seq != null) {
            node.put("seq_id", seq);
        } else {
            node.putNull("seq_id");
        }
        node.put("run_id", runId);
        return node;
    }

    public Chunk ping(long seq) {
        return Chunk.of(base("ping", "ping-" + seq, null, seq));
    }

    public Chunk reasoning(String id, String otid, long seq, String delta) {
        ObjectNode node = base("reasoning_message", id, otid, seq);
        node.put("reasoning", delta);
        return Chunk.of(node);
    }

    public Chunk assistant(String id, String otid, long seq, String delta) {
        ObjectNode node = base("assistant_message", id, otid, seq);
        node.put("content", delta);
        return Chunk.of(node);
    }

    public Chunk assistantContent(String id, String otid, long seq, JsonNode content) {
        ObjectNode node = base("assistant_message", id, otid, seq);
        node.set("content", content);
        return Chunk.of(node);
    }

    /** A token-mode tool call delta: {@code tool_call} and {@code tool_calls} hold the same object. */
    public Chunk toolCall(String type, String id, String otid, long seq, String toolCallId, String name, String args) {
        ObjectNode node = base(type, id, otid, seq);
        ObjectNode call = Json.MAPPER.createObjectNode();
        if (name != null) {
            call.put("name", name);
        }
        if (args != null) {
            call.put("arguments", args);
        }
        call.put("tool_call_id", toolCallId);
        node.set("tool_call", call);
        node.set("tool_calls", call.deepCopy());
        return Chunk.of(node);
    }

    public Chunk serverTool(String id, String otid, long seq, String toolCallId, String name, String args) {
        return toolCall("tool_call_message", id, otid, seq, toolCallId, name, args);
    }

    public Chunk approval(String id, long seq, String toolCallId, String name, String args) {
        return toolCall("approval_request_message", id, id, seq, toolCallId, name, args);
    }

    public Chunk toolReturn(String id, long seq, String toolCallId, String status, String result) {
        ObjectNode node = base("tool_return_message", id, id.replace("message-", ""), seq);
        node.put("tool_return", result);
        node.put("status", status);
        node.put("tool_call_id", toolCallId);
        ObjectNode ret = node.putArray("tool_returns").addObject();
        ret.put("type", "tool");
        ret.put("tool_return", result);
        ret.put("status", status);
        ret.put("tool_call_id", toolCallId);
        ret.putArray("stdout").add("out line");
        ret.putNull("stderr");
        return Chunk.of(node);
    }

    public static Chunk stop(String reason) {
        return json("{\"message_type\":\"stop_reason\",\"stop_reason\":\"" + reason + "\"}");
    }

    public static Chunk usage(long prompt, long completion, Long cached, Long context, long steps) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("message_type", "usage_statistics");
        node.put("completion_tokens", completion);
        node.put("prompt_tokens", prompt);
        node.put("total_tokens", prompt + completion);
        node.put("step_count", steps);
        node.putNull("run_ids");
        node.put("cached_input_tokens", cached);
        node.putNull("cache_write_tokens");
        node.put("reasoning_tokens", 0);
        node.put("context_tokens", context);
        return Chunk.of(node);
    }

    public Chunk errorEvent(long seq, String errorType, String message) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("message_type", "error_message");
        node.put("run_id", runId);
        node.put("error_type", errorType);
        node.put("message", message);
        node.put("detail", "detail of " + errorType);
        node.put("seq_id", seq);
        return new Chunk(node, "error");
    }

    /** Any JSON text as an ordinary data chunk. */
    public static Chunk json(String text) {
        return Chunk.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
    }

    public static ObjectNode object(Map<String, ?> fields) {
        return Json.MAPPER.valueToTree(fields);
    }
}
