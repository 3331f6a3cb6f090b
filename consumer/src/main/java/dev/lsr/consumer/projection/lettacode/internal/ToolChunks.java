package dev.lsr.consumer.projection.lettacode.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.consumer.projection.internal.Js;
import dev.lsr.consumer.projection.lettacode.Line;
import java.util.List;

/**
 * {@code tool_call_message} / {@code approval_request_message} (one line per {@code tool_call_id}, first
 * name wins, arguments appended verbatim, approvals move the line to {@code ready}) and
 * {@code tool_return_message} (result attached by {@code tool_call_id}; unknown ids are dropped).
 */
final class ToolChunks {

    private ToolChunks() {}

    static void onToolCall(Buffers b, JsonNode chunk, boolean approval) {
        JsonNode otid = chunk.get("otid");
        LineLifecycle.handleOtidTransition(b, otid != null && otid.isTextual() ? otid.textValue() : null);

        JsonNode toolCall = renderedToolCall(chunk);
        if (toolCall == null
                || !Js.truthy(toolCall.get("tool_call_id"))
                || !toolCall.get("tool_call_id").isTextual()) {
            return;
        }
        String toolCallId = toolCall.get("tool_call_id").textValue();
        String name = Js.string(toolCall, "name");
        JsonNode arguments = toolCall.get("arguments");

        String id = b.toolCallIdToLineId.getOrDefault(toolCallId, toolCallId);
        b.toolCallIdToLineId.putIfAbsent(toolCallId, id);
        Line existing =
                b.ensure(id, () -> new Line.ToolCall(id, toolCallId, name, Line.ToolPhase.STREAMING, null, null, null));
        if (!(existing instanceof Line.ToolCall line)) {
            return;
        }
        if ((Js.truthy(name) && !Js.truthy(line.name())) || !toolCallId.equals(line.toolCallId())) {
            line = line.withIdentity(toolCallId, line.name() != null ? line.name() : name);
            b.put(line);
        }
        if (approval && line.phase() != Line.ToolPhase.FINISHED) {
            b.approvalsPending = true;
            line = line.withPhase(Line.ToolPhase.READY);
            b.put(line);
            downgradeRunningServerTools(b);
        }
        if (arguments != null && arguments.isTextual()) {
            String args = arguments.textValue();
            String before = Js.truthy(line.argsText()) ? line.argsText() : "";
            line = line.withArgsText(before + args);
            b.put(line);
            b.tokenCount += Js.utf8Length(args);
        }
        if (!approval) {
            Buffers.ServerToolCall info =
                    b.serverToolCalls.computeIfAbsent(toolCallId, k -> new Buffers.ServerToolCall());
            if (Js.truthy(name)) {
                info.toolName = name;
            }
            if (arguments != null
                    && arguments.isTextual()
                    && !arguments.textValue().isEmpty()) {
                info.toolArgs += arguments.textValue();
            }
        }
    }

    /** {@code tool_call}, else the first element of a {@code tool_calls} array: only one call is rendered. */
    private static JsonNode renderedToolCall(JsonNode chunk) {
        JsonNode toolCall = chunk.get("tool_call");
        if (Js.truthy(toolCall)) {
            return Js.isRecord(toolCall) ? toolCall : null;
        }
        JsonNode toolCalls = chunk.get("tool_calls");
        if (toolCalls != null && toolCalls.isArray() && !toolCalls.isEmpty() && Js.isRecord(toolCalls.get(0))) {
            return toolCalls.get(0);
        }
        return null;
    }

    /** While approvals are pending, server tools shown as running go back to streaming. */
    private static void downgradeRunningServerTools(Buffers b) {
        for (String toolCallId : List.copyOf(b.serverToolCalls.keySet())) {
            String lineId = b.toolCallIdToLineId.get(toolCallId);
            if (lineId != null
                    && b.get(lineId) instanceof Line.ToolCall server
                    && server.phase() == Line.ToolPhase.RUNNING) {
                b.put(server.withPhase(Line.ToolPhase.STREAMING));
            }
        }
    }

    static void onToolReturn(Buffers b, JsonNode chunk) {
        for (JsonNode toolReturn : toolReturns(chunk)) {
            if (!Js.isRecord(toolReturn)) {
                continue;
            }
            String toolCallId = Js.truthy(toolReturn.get("tool_call_id"))
                            && toolReturn.get("tool_call_id").isTextual()
                    ? toolReturn.get("tool_call_id").textValue()
                    : null;
            String id = toolCallId != null ? b.toolCallIdToLineId.get(toolCallId) : null;
            if (!Js.truthy(id)) {
                continue;
            }
            Line existing =
                    b.ensure(id, () -> new Line.ToolCall(id, null, null, Line.ToolPhase.FINISHED, null, null, null));
            if (existing instanceof Line.ToolCall line) {
                boolean ok = "success".equals(Js.string(toolReturn, "status"));
                b.put(line.finished(resultText(toolReturn), ok));
            }
            b.serverToolCalls.remove(toolCallId);
        }
    }

    /** {@code tool_returns} when non-empty, else one return built from the deprecated top-level fields. */
    private static Iterable<JsonNode> toolReturns(JsonNode chunk) {
        JsonNode array = chunk.get("tool_returns");
        if (array != null && array.isArray() && !array.isEmpty()) {
            return array;
        }
        if (!Js.truthy(chunk.get("tool_call_id"))) {
            return List.of();
        }
        ObjectNode synthesized = JsonNodeFactory.instance.objectNode();
        synthesized.set("tool_call_id", chunk.get("tool_call_id"));
        if (chunk.has("status")) {
            synthesized.set("status", chunk.get("status"));
        }
        if (chunk.has("tool_return")) {
            synthesized.set("func_response", chunk.get("tool_return"));
        }
        return List.of(synthesized);
    }

    /** {@code func_response || tool_return}, a string as is, anything else {@code JSON.stringify}-ed. */
    private static String resultText(JsonNode toolReturn) {
        JsonNode raw = toolReturn.get("func_response");
        if (!Js.truthy(raw)) {
            raw = toolReturn.get("tool_return");
        }
        if (raw == null || raw.isNull()) {
            return "";
        }
        return raw.isTextual() ? raw.textValue() : Js.stringify(raw);
    }
}
