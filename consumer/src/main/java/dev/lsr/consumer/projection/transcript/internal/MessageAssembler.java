package dev.lsr.consumer.projection.transcript.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.internal.Content;
import dev.lsr.consumer.projection.internal.Js;
import dev.lsr.consumer.projection.internal.ToolCalls;
import dev.lsr.consumer.projection.transcript.MessageOrigin;
import dev.lsr.consumer.projection.transcript.TranscriptMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins a run's chunks into transcript messages. A content block is identified by (message type, otid)
 * (§4.2 of the protocol notes), falling back to the message id; tool calls by {@code tool_call_id}, across
 * token deltas and step-mode arrays alike. Everything else is one message per chunk.
 */
public final class MessageAssembler {

    private final List<Draft> drafts = new ArrayList<>();
    private final Map<String, Draft> blocks = new HashMap<>();
    private final Map<String, String> toolNames = new HashMap<>();

    public void accept(Chunk chunk, String position, Instant receivedAt) {
        JsonNode json = chunk.json();
        String type = chunk.messageType();
        if (type == null) {
            if (json.has("error") && !json.has("message_type")) {
                JsonNode error = json.get("error");
                String message = error.isTextual() ? error.textValue() : Js.string(error, "message");
                add(new Draft.Fixed(
                        origin(json, position, receivedAt),
                        o -> new TranscriptMessage.Error(
                                o,
                                Js.string(json, "code"),
                                message,
                                error.isObject() ? Js.string(error, "detail") : null)));
            }
            return;
        }
        switch (type) {
            case "ping", "stop_reason", "usage_statistics" -> {
                // run-level facts, not messages
            }
            case "reasoning_message", "hidden_reasoning_message", "assistant_message" ->
                block(type, json, position, receivedAt).append(json);
            case "tool_call_message", "approval_request_message" ->
                toolCalls(json, position, receivedAt, "approval_request_message".equals(type));
            case "tool_return_message" -> toolReturns(json, position, receivedAt);
            case "event_message" ->
                add(new Draft.Fixed(
                        origin(json, position, receivedAt),
                        o -> new TranscriptMessage.Event(o, Js.string(json, "event_type"), json.get("event_data"))));
            case "summary_message" ->
                add(new Draft.Fixed(
                        origin(json, position, receivedAt),
                        o -> new TranscriptMessage.Summary(
                                o, Js.string(json, "summary"), json.get("compaction_stats"))));
            case "user_message" ->
                add(new Draft.Fixed(
                        origin(json, position, receivedAt),
                        o -> new TranscriptMessage.UserMessage(o, Content.text(json.get("content")))));
            case "error_message" ->
                add(new Draft.Fixed(
                        origin(json, position, receivedAt),
                        o -> new TranscriptMessage.Error(
                                o,
                                Js.string(json, "error_type"),
                                Js.string(json, "message"),
                                Js.string(json, "detail"))));
            default ->
                add(new Draft.Fixed(
                        origin(json, position, receivedAt),
                        o -> new TranscriptMessage.Other(o, type, json.deepCopy())));
        }
    }

    /** Adds a message that did not come from a chunk (e.g. a rejected frame). */
    public void addMessage(TranscriptMessage message) {
        add(new Draft.Fixed(message.origin(), o -> message));
    }

    public List<TranscriptMessage> messages() {
        return drafts.stream().map(draft -> draft.build(toolNames)).toList();
    }

    private Draft.Block block(String type, JsonNode json, String position, Instant receivedAt) {
        String blockId = Js.truthyString(json, "otid") != null ? Js.string(json, "otid") : Js.truthyString(json, "id");
        if (blockId == null) {
            Draft.Block lone = new Draft.Block(type, origin(json, position, receivedAt));
            add(lone);
            return lone;
        }
        String key = type + "|" + blockId;
        Draft existing = blocks.get(key);
        if (existing instanceof Draft.Block block) {
            block.reached(position);
            return block;
        }
        Draft.Block created = new Draft.Block(type, origin(json, position, receivedAt));
        blocks.put(key, created);
        add(created);
        return created;
    }

    private void toolCalls(JsonNode json, String position, Instant receivedAt, boolean approval) {
        for (JsonNode call : ToolCalls.of(json)) {
            String toolCallId = Js.truthyString(call, "tool_call_id");
            if (toolCallId == null) {
                continue;
            }
            String key = "tool|" + toolCallId;
            Draft.Call draft;
            if (blocks.get(key) instanceof Draft.Call existing) {
                draft = existing;
                draft.reached(position);
            } else {
                draft = new Draft.Call(toolCallId, origin(json, position, receivedAt));
                blocks.put(key, draft);
                add(draft);
            }
            draft.append(call, approval);
            if (draft.name() != null) {
                toolNames.putIfAbsent(toolCallId, draft.name());
            }
        }
    }

    private void toolReturns(JsonNode json, String position, Instant receivedAt) {
        JsonNode array = json.get("tool_returns");
        List<JsonNode> returns = new ArrayList<>();
        if (array != null && array.isArray() && !array.isEmpty()) {
            array.forEach(returns::add);
        } else if (Js.truthy(json.get("tool_call_id"))) {
            returns.add(json);
        }
        for (JsonNode ret : returns) {
            String toolCallId = Js.string(ret, "tool_call_id");
            String fallbackName = Js.string(json, "name");
            add(new Draft.Fixed(
                    origin(json, position, receivedAt),
                    o -> new TranscriptMessage.ToolReturn(
                            o,
                            toolCallId,
                            toolCallId != null && toolNames.containsKey(toolCallId)
                                    ? toolNames.get(toolCallId)
                                    : fallbackName,
                            Js.string(ret, "status"),
                            returnText(ret.get("tool_return")),
                            strings(ret.get("stdout")),
                            strings(ret.get("stderr")))));
        }
    }

    private static String returnText(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isTextual() ? value.textValue() : Js.stringify(value);
    }

    private static List<String> strings(JsonNode value) {
        if (value == null || !value.isArray()) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        value.forEach(line -> lines.add(line.isTextual() ? line.textValue() : Js.stringify(line)));
        return lines;
    }

    private void add(Draft draft) {
        drafts.add(draft);
    }

    private static MessageOrigin origin(JsonNode json, String position, Instant receivedAt) {
        return new MessageOrigin(
                Js.string(json, "id"),
                Js.string(json, "otid"),
                Js.string(json, "step_id"),
                position,
                position,
                receivedAt);
    }
}
