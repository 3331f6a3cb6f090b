package dev.lsr.consumer.projection.lettacode.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.lsr.consumer.projection.internal.Content;
import dev.lsr.consumer.projection.internal.Js;
import dev.lsr.consumer.projection.lettacode.Line;
import java.util.List;

/**
 * {@code event_message} (retry events become status lines, other events event lines, compaction
 * {@code running}), {@code summary_message} (completes the latest compaction line) and
 * {@code user_message} (a legacy compaction summary becomes a finished compaction line; any other echo
 * only updates an optimistic user line, which a log never has).
 */
final class EventChunks {

    private EventChunks() {}

    static void onEvent(Buffers b, JsonNode chunk) {
        String eventType =
                Js.truthy(chunk.get("event_type")) && chunk.get("event_type").isTextual()
                        ? chunk.get("event_type").textValue()
                        : "unknown";
        JsonNode eventData =
                Js.truthy(chunk.get("event_data")) ? chunk.get("event_data") : JsonNodeFactory.instance.objectNode();
        String id = eventLineId(chunk, eventType);
        if (id == null) {
            return;
        }
        LineLifecycle.handleOtidTransition(b, id);
        if ("retry".equals(eventType)) {
            upsertStatusLine(b, id, RetryStatusText.lines(eventData));
            return;
        }
        Line.EventPhase phase = "compaction".equals(eventType) ? Line.EventPhase.RUNNING : Line.EventPhase.FINISHED;
        b.ensure(id, () -> new Line.Event(id, eventType, eventData, phase, null, null));
    }

    /** {@code otid || id || (retry only) "<run_id>-retry-<seq_id>"}. */
    private static String eventLineId(JsonNode chunk, String eventType) {
        String otid = Js.truthyString(chunk, "otid");
        if (otid != null) {
            return otid;
        }
        String id = Js.truthyString(chunk, "id");
        if (id != null) {
            return id;
        }
        JsonNode seq = chunk.get("seq_id");
        String runId = Js.truthyString(chunk, "run_id");
        if ("retry".equals(eventType) && runId != null && Js.truthy(seq) && seq.isNumber()) {
            return runId + "-retry-" + Js.numberToString(seq);
        }
        return null;
    }

    private static void upsertStatusLine(Buffers b, String id, List<String> lines) {
        Line existing = b.get(id);
        b.put(new Line.Status(id, lines));
        if (existing == null) {
            b.appendToOrder(id);
        }
    }

    static void onSummary(Buffers b, JsonNode chunk) {
        String summary = Js.truthyString(chunk, "summary");
        JsonNode stats = chunk.get("compaction_stats");
        List<Line> lines = b.lines();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i) instanceof Line.Event event && "compaction".equals(event.eventType())) {
                Line.CompactionStats newStats = Js.truthy(stats) && Js.isRecord(stats) ? statsOf(stats) : event.stats();
                b.put(event.summarized(summary != null ? summary : "", newStats));
                return;
            }
        }
    }

    private static Line.CompactionStats statsOf(JsonNode stats) {
        return new Line.CompactionStats(
                Js.string(stats, "trigger"),
                number(stats, "context_tokens_before"),
                number(stats, "context_tokens_after"),
                number(stats, "context_window"),
                number(stats, "messages_count_before"),
                number(stats, "messages_count_after"));
    }

    private static Long number(JsonNode obj, String field) {
        JsonNode value = obj.get(field);
        return value != null && value.isNumber() ? value.longValue() : null;
    }

    static void onUserMessage(Buffers b, JsonNode chunk) {
        String messageId = Js.truthyString(chunk, "id");
        String otid = Js.truthyString(chunk, "otid");
        String lineId = otid != null ? otid : messageId;
        if (lineId == null) {
            return;
        }
        LineLifecycle.handleOtidTransition(b, lineId);
        String rawText = Content.text(chunk.get("content"));
        if (rawText.isEmpty()) {
            return;
        }
        String summary = CompactionSummary.extract(rawText);
        if (Js.truthy(summary)) {
            b.ensure(
                    lineId,
                    () -> new Line.Event(
                            lineId,
                            "compaction",
                            JsonNodeFactory.instance.objectNode(),
                            Line.EventPhase.FINISHED,
                            summary,
                            null));
        }
    }
}
