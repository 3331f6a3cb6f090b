package dev.lsr.consumer.projection.lettacode.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.internal.Js;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Letta Code's {@code StreamProcessor.processChunk} for one drain: the replay filter against the drain's
 * cursor, {@code lastRunId}/{@code lastSeqId} (pings included), error info, pending approvals per
 * {@code tool_call_id}, and the last stop reason (last one wins).
 */
final class StreamProcessor {

    /** Chunks of {@code runId} with {@code seq_id <= seqId} were seen before: drop them. */
    record Cursor(String runId, long seqId) {}

    /** The approval being accumulated for one tool call. */
    static final class PendingApproval {
        final String toolCallId;
        String toolName = "";
        String toolArgs = "";
        String messageId;

        PendingApproval(String toolCallId) {
            this.toolCallId = toolCallId;
        }
    }

    private final Cursor cursor;
    final Map<String, PendingApproval> pendingApprovals = new LinkedHashMap<>();
    String lastRunId;
    Long lastSeqId;
    /** JavaScript {@code stopReason}: null until a stop_reason chunk; a chunk without the field leaves "undefined". */
    String stopReason;

    boolean stopReasonSeen;
    ErrorInfo lastErrorInfo;

    StreamProcessor(Cursor cursor) {
        this.cursor = cursor;
    }

    /** Processes one chunk; true when the accumulator should see it. */
    boolean process(Chunk chunk) {
        JsonNode json = chunk.json();
        Long seq = chunk.seqId();
        String runId = chunk.runId();
        if (cursor != null && seq != null && runId != null && runId.equals(cursor.runId()) && seq <= cursor.seqId()) {
            return false;
        }
        if (runId != null) {
            lastRunId = runId;
        }
        if (seq != null) {
            lastSeqId = seq;
        }
        String type = chunk.messageType();
        if ("ping".equals(type) || "response_state".equals(type)) {
            return false;
        }
        ErrorInfo error = errorInfoOf(json, type);
        if (error != null) {
            lastErrorInfo = error;
            if (error.suppressed()) {
                return false;
            }
        }
        if ("tool_return_message".equals(type) && Js.truthy(json.get("tool_call_id"))) {
            pendingApprovals.remove(json.get("tool_call_id").asText());
        }
        if ("approval_request_message".equals(type)) {
            collectApprovals(json);
        }
        if ("stop_reason".equals(type)) {
            JsonNode reason = json.get("stop_reason");
            stopReasonSeen = reason == null || !reason.isNull();
            stopReason = reason != null && reason.isValueNode() && !reason.isNull() ? reason.asText() : null;
        }
        return true;
    }

    private ErrorInfo errorInfoOf(JsonNode json, String type) {
        ErrorInfo error = null;
        if ("error_message".equals(type)) {
            error = new ErrorInfo(
                    Js.string(json, "message"),
                    Js.string(json, "error_type"),
                    Js.string(json, "error_code"),
                    scalar(json.get("status_code")),
                    scalar(json.get("retryable")),
                    Js.string(json, "detail"),
                    lastRunId);
        }
        JsonNode generic = json.get("error");
        if (Js.truthy(generic) && !json.has("message_type")) {
            String text = textOr(generic.get("message"), "An error occurred");
            String detail = textOr(generic.get("detail"), "");
            error = new ErrorInfo(
                    detail.isEmpty() ? text : text + ": " + detail,
                    null,
                    null,
                    null,
                    null,
                    detail.isEmpty() ? null : detail,
                    lastRunId);
        }
        return error;
    }

    private void collectApprovals(JsonNode json) {
        JsonNode toolCalls = json.get("tool_calls");
        Iterable<JsonNode> calls;
        if (toolCalls != null && toolCalls.isArray()) {
            calls = toolCalls;
        } else if (Js.truthy(json.get("tool_call"))) {
            calls = java.util.List.of(json.get("tool_call"));
        } else {
            calls = java.util.List.of();
        }
        for (JsonNode call : calls) {
            if (call == null
                    || !Js.truthy(call.get("tool_call_id"))
                    || !call.get("tool_call_id").isTextual()) {
                continue;
            }
            String toolCallId = call.get("tool_call_id").textValue();
            PendingApproval approval = pendingApprovals.computeIfAbsent(toolCallId, PendingApproval::new);
            String messageId = Js.truthyString(json, "id");
            if (messageId != null) {
                approval.messageId = messageId;
            }
            String name = Js.truthyString(call, "name");
            if (name != null) {
                approval.toolName = name;
            }
            String arguments = Js.truthyString(call, "arguments");
            if (arguments != null) {
                approval.toolArgs += arguments;
            }
        }
    }

    /** Whether the stop reason is set to something truthy. */
    boolean hasStopReason() {
        return Js.truthy(stopReason);
    }

    private static String textOr(JsonNode value, String fallback) {
        if (!Js.truthy(value)) {
            return fallback;
        }
        return value.isTextual() ? value.textValue() : Js.stringify(value);
    }

    private static String scalar(JsonNode value) {
        return value != null && value.isValueNode() && !value.isNull() ? value.asText() : null;
    }
}
