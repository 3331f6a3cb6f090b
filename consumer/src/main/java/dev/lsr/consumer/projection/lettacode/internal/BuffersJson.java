package dev.lsr.consumer.projection.lettacode.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.consumer.projection.lettacode.ApprovalRequest;
import dev.lsr.consumer.projection.lettacode.DrainResult;
import dev.lsr.consumer.projection.lettacode.Line;
import dev.lsr.consumer.projection.lettacode.Usage;
import java.util.Map;

/**
 * Writes the buffers in the layout of the fixtures' {@code expected/*.json}: unset line fields are omitted
 * as JavaScript's {@code JSON.stringify} omits {@code undefined}.
 */
public final class BuffersJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private BuffersJson() {}

    public static ObjectNode write(Buffers b, DrainResult lastResult) {
        ObjectNode root = NODES.objectNode();
        root.set("drainResult", lastResult == null ? NODES.nullNode() : drainResult(lastResult));
        root.put("tokenStreamingEnabled", b.tokenStreamingEnabled);
        ObjectNode buffers = root.putObject("buffers");
        ArrayNode order = buffers.putArray("order");
        b.orderView().forEach(order::add);
        ArrayNode lines = buffers.putArray("lines");
        b.lines().forEach(line -> lines.add(line(line)));
        ObjectNode toolMap = buffers.putObject("toolCallIdToLineId");
        for (Map.Entry<String, String> entry : b.toolCallIdToLineId.entrySet()) {
            toolMap.put(entry.getKey(), entry.getValue());
        }
        buffers.put("lastOtid", b.lastOtid);
        buffers.put("interrupted", b.interrupted);
        buffers.put("approvalsPending", b.approvalsPending);
        buffers.put("tokenCount", b.tokenCount);
        buffers.set("usage", usage(b.usage()));
        return root;
    }

    public static ObjectNode drainResult(DrainResult result) {
        ObjectNode node = NODES.objectNode();
        node.put("stopReason", result.stopReason());
        node.put("sawStopReasonChunk", result.sawStopReasonChunk());
        node.put("lastRunId", result.lastRunId());
        node.put("lastSeqId", result.lastSeqId());
        ArrayNode approvals = node.putArray("approvals");
        for (ApprovalRequest approval : result.approvals()) {
            ObjectNode a = approvals.addObject();
            a.put("toolCallId", approval.toolCallId());
            a.put("toolName", approval.toolName());
            a.put("toolArgs", approval.toolArgs());
            if (approval.messageId() != null) {
                a.put("messageId", approval.messageId());
            }
        }
        node.put("fallbackError", result.fallbackError());
        node.put("isResume", result.resumed());
        return node;
    }

    public static ObjectNode line(Line line) {
        ObjectNode node = NODES.objectNode();
        node.put("kind", line.kind());
        node.put("id", line.id());
        switch (line) {
            case Line.Text text -> {
                node.put("text", text.text());
                node.put("phase", text.phase().wireName());
                putIfSet(node, "isContinuation", text.isContinuation());
                putIfSet(node, "messageId", text.messageId());
            }
            case Line.ToolCall tool -> {
                putIfSet(node, "toolCallId", tool.toolCallId());
                putIfSet(node, "name", tool.name());
                node.put("phase", tool.phase().wireName());
                putIfSet(node, "argsText", tool.argsText());
                putIfSet(node, "resultText", tool.resultText());
                putIfSet(node, "resultOk", tool.resultOk());
            }
            case Line.Event event -> {
                node.put("eventType", event.eventType());
                node.set("eventData", event.eventData().deepCopy());
                node.put("phase", event.phase().wireName());
                putIfSet(node, "summary", event.summary());
                if (event.stats() != null) {
                    node.set("stats", stats(event.stats()));
                }
            }
            case Line.Status status -> {
                ArrayNode statusLines = node.putArray("lines");
                status.lines().forEach(statusLines::add);
            }
        }
        return node;
    }

    private static ObjectNode stats(Line.CompactionStats stats) {
        ObjectNode node = NODES.objectNode();
        putIfSet(node, "trigger", stats.trigger());
        putIfSet(node, "contextTokensBefore", stats.contextTokensBefore());
        putIfSet(node, "contextTokensAfter", stats.contextTokensAfter());
        putIfSet(node, "contextWindow", stats.contextWindow());
        putIfSet(node, "messagesCountBefore", stats.messagesCountBefore());
        putIfSet(node, "messagesCountAfter", stats.messagesCountAfter());
        return node;
    }

    static ObjectNode usage(Usage usage) {
        ObjectNode node = NODES.objectNode();
        node.put("promptTokens", usage.promptTokens());
        node.put("completionTokens", usage.completionTokens());
        node.put("totalTokens", usage.totalTokens());
        node.put("cachedInputTokens", usage.cachedInputTokens());
        node.put("cacheWriteTokens", usage.cacheWriteTokens());
        node.put("reasoningTokens", usage.reasoningTokens());
        node.put("stepCount", usage.stepCount());
        if (usage.contextTokens() != null) {
            node.put("contextTokens", usage.contextTokens());
        }
        return node;
    }

    private static void putIfSet(ObjectNode node, String field, Object value) {
        switch (value) {
            case null -> {}
            case String s -> node.put(field, s);
            case Boolean bool -> node.put(field, bool);
            case Long number -> node.put(field, number);
            default -> throw new IllegalArgumentException("unsupported field value " + value.getClass());
        }
    }
}
