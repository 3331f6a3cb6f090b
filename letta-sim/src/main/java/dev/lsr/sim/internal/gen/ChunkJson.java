package dev.lsr.sim.internal.gen;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.sim.internal.Json;
import dev.lsr.sim.internal.store.WireTime;
import java.time.Instant;
import java.util.List;

/**
 * Serializes chunks the way Letta's pydantic schemas do (protocol §2): compact JSON, base fields
 * {@code id, date, name, message_type, otid, sender_id, step_id, is_err, seq_id, run_id} first,
 * {@code seq_id} null (the reader fills it in on background streams), second-precision dates.
 */
final class ChunkJson {

    private final String runId;

    ChunkJson(String runId) {
        this.runId = runId;
    }

    /** Where a message chunk sits: its message id, date, otid and step. */
    record Envelope(String id, Instant date, String name, String otid, String stepId) {}

    private ObjectNode base(Envelope envelope, String messageType) {
        ObjectNode node = Json.object();
        node.put("id", envelope.id());
        node.put("date", WireTime.chunkDate(envelope.date()));
        node.put("name", envelope.name());
        node.put("message_type", messageType);
        node.put("otid", envelope.otid());
        node.putNull("sender_id");
        node.put("step_id", envelope.stepId());
        node.putNull("is_err");
        node.putNull("seq_id");
        node.put("run_id", runId);
        return node;
    }

    String ping(String id, Instant date) {
        return Json.write(base(new Envelope(id, date, null, null, null), "ping"));
    }

    /** Letta Cloud's provider-retry announcement (no otid, no step yet). */
    String retry(String id, Instant date, int attempt, int maxAttempts, String provider) {
        ObjectNode node = base(new Envelope(id, date, null, null, null), "retry_message");
        node.put(
                "message",
                "The model provider is overloaded; retrying (attempt " + attempt + " of " + maxAttempts + ").");
        node.put("retry_kind", "provider_retry");
        node.put("attempt", attempt);
        node.put("max_attempts", maxAttempts);
        node.put("delay_ms", 1000L * attempt);
        node.put("provider", provider);
        node.put("error_code", "overloaded_error");
        return Json.write(node);
    }

    String reasoning(Envelope envelope, String text) {
        ObjectNode node = base(envelope, "reasoning_message");
        node.put("source", "reasoner_model");
        node.put("reasoning", text);
        node.putNull("signature");
        return Json.write(node);
    }

    String hiddenReasoning(Envelope envelope, String state, String data) {
        ObjectNode node = base(envelope, "hidden_reasoning_message");
        node.put("state", state);
        node.put("hidden_reasoning", data);
        return Json.write(node);
    }

    String assistant(Envelope envelope, String text) {
        ObjectNode node = base(envelope, "assistant_message");
        node.put("content", text);
        return Json.write(node);
    }

    /** A token-mode tool call delta: absent keys omitted (tool_call_message) or explicit null (approvals). */
    String toolCallDelta(Envelope envelope, boolean approval, String name, String arguments, String toolCallId) {
        ObjectNode node = base(envelope, approval ? "approval_request_message" : "tool_call_message");
        ObjectNode delta = Json.object();
        putMaybe(delta, "name", name, approval);
        putMaybe(delta, "arguments", arguments, approval);
        putMaybe(delta, "tool_call_id", toolCallId, approval);
        node.set("tool_call", delta);
        node.set("tool_calls", delta.deepCopy());
        return Json.write(node);
    }

    /** A step-mode tool call message: {@code tool_call} the first call, {@code tool_calls} all of them. */
    String toolCallStep(Envelope envelope, boolean approval, List<ToolCall> calls) {
        ObjectNode node = base(envelope, approval ? "approval_request_message" : "tool_call_message");
        node.set("tool_call", full(calls.getFirst()));
        ArrayNode all = node.putArray("tool_calls");
        calls.forEach(call -> all.add(full(call)));
        return Json.write(node);
    }

    String toolReturn(Envelope envelope, List<ToolCall> calls, String status) {
        ObjectNode node = base(envelope, "tool_return_message");
        ToolCall first = calls.getFirst();
        node.put("tool_return", first.result());
        node.put("status", status);
        node.put("tool_call_id", first.id());
        node.putNull("stdout");
        node.putNull("stderr");
        ArrayNode returns = node.putArray("tool_returns");
        for (ToolCall call : calls) {
            ObjectNode item = returns.addObject();
            item.put("type", "tool");
            item.put("tool_return", call.result());
            item.put("status", status);
            item.put("tool_call_id", call.id());
            item.putNull("stdout");
            item.putNull("stderr");
        }
        return Json.write(node);
    }

    String compactionEvent(Envelope envelope, int estimate, int window) {
        ObjectNode node = base(envelope, "event_message");
        node.put("event_type", "compaction");
        ObjectNode data = node.putObject("event_data");
        data.put("trigger", "post_step_context_check");
        data.put("context_token_estimate", estimate);
        data.put("context_window", window);
        return Json.write(node);
    }

    String summary(
            Envelope envelope,
            String summary,
            int before,
            int after,
            int window,
            int messagesBefore,
            int messagesAfter) {
        ObjectNode node = base(envelope, "summary_message");
        node.put("summary", summary);
        ObjectNode stats = node.putObject("compaction_stats");
        stats.put("trigger", "post_step_context_check");
        stats.put("context_tokens_before", before);
        stats.put("context_tokens_after", after);
        stats.put("context_window", window);
        stats.put("messages_count_before", messagesBefore);
        stats.put("messages_count_after", messagesAfter);
        return Json.write(node);
    }

    /** The legacy compaction summary: a user_message whose content is a packed system_alert JSON string. */
    String legacySummary(Envelope envelope, String summary) {
        ObjectNode node = base(envelope, "user_message");
        ObjectNode packed = Json.object().put("type", "system_alert").put("message", summary);
        node.put("content", Json.write(packed));
        return Json.write(node);
    }

    static String stopReason(String reason) {
        return Json.write(Json.object().put("message_type", "stop_reason").put("stop_reason", reason));
    }

    static String usage(Usage usage) {
        ObjectNode node = Json.object();
        node.put("message_type", "usage_statistics");
        node.put("completion_tokens", usage.completion());
        node.put("prompt_tokens", usage.prompt());
        node.put("total_tokens", usage.completion() + usage.prompt());
        node.put("step_count", usage.steps());
        node.putNull("run_ids");
        node.put("cached_input_tokens", usage.cachedInput());
        node.put("cache_write_tokens", usage.cacheWrite());
        node.put("reasoning_tokens", usage.reasoning());
        node.put("context_tokens", usage.context());
        return Json.write(node);
    }

    String error(String errorType, String message, String detail) {
        ObjectNode node = Json.object();
        node.put("message_type", "error_message");
        node.put("run_id", runId);
        node.put("error_type", errorType);
        node.put("message", message);
        node.put("detail", detail);
        node.putNull("seq_id");
        return Json.write(node);
    }

    private static ObjectNode full(ToolCall call) {
        return Json.object()
                .put("name", call.name())
                .put("arguments", call.arguments())
                .put("tool_call_id", call.id());
    }

    private static void putMaybe(ObjectNode node, String key, String value, boolean explicitNull) {
        if (value != null) {
            node.put(key, value);
        } else if (explicitNull) {
            node.putNull(key);
        }
    }

    /** A tool call: name, complete arguments JSON, id, and the text its execution returns. */
    record ToolCall(String name, String arguments, String id, String result) {}

    /** Run-cumulative usage (§2.13); nullable fields are null when the provider does not report them. */
    record Usage(
            int completion,
            int prompt,
            int steps,
            Integer cachedInput,
            Integer cacheWrite,
            Integer reasoning,
            int context) {}
}
