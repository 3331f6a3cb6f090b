package dev.lsr.consumer.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.consumer.projection.TerminalText;
import dev.lsr.consumer.reader.ReadProblem;
import dev.lsr.consumer.reader.RunRecord;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Turns a live stream of records into one line per run event for {@code consumer follow}:
 * attached, first content, resumed, gap, stop reason, error, rejected chunk, end. Content deltas
 * themselves make no line. Returns null for records that are no event. A line shows the control characters of
 * what the log holds, never sends them ({@link TerminalText#line}).
 */
public final class RunEventLines {

    private final Set<String> streaming = new HashSet<>();
    private final Map<String, Long> chunks = new HashMap<>();

    public String lineFor(RunRecord record) {
        String event = eventOf(record);
        return event == null ? null : TerminalText.line(record.receivedAt() + "  " + record.runId() + "  " + event);
    }

    public static String lineFor(ReadProblem problem) {
        return "problem  " + TerminalText.line(problem.describe());
    }

    private String eventOf(RunRecord record) {
        if (record.isChunk()) {
            chunks.merge(record.runId(), 1L, Long::sum);
            return chunkEvent(record);
        }
        return switch (record.lifecycle()) {
            case LifecycleEvent.RunAttached a ->
                "attached" + kv("agent", record.record().envelope().agentId())
                        + kv("conversation", record.record().envelope().conversationId())
                        + (a.startingAfter() > 0 ? " starting_after=" + a.startingAfter() : "");
            case LifecycleEvent.RunResumed r ->
                "resumed attempt=" + r.attempt() + " starting_after=" + r.startingAfter() + kv("cause", r.cause());
            case LifecycleEvent.RunGap g ->
                "gap from=" + g.from() + (g.to() == null ? " to=end" : " to=" + g.to()) + kv("cause", g.cause());
            case LifecycleEvent.RunFinished f ->
                end(record, "finished" + kv("status", f.status()) + kv("stop_reason", f.stopReason()));
            case LifecycleEvent.RunRefused r ->
                end(record, r.kind().cloudEventType().substring("dev.lsr.run.".length()) + " http=" + r.statusCode());
            case LifecycleEvent.RunAbandoned a ->
                end(record, "abandoned" + kv("server_status", a.serverStatus()) + " waited_ms=" + a.waitedMillis());
            case LifecycleEvent.ChunkRejected c ->
                "chunk rejected" + kv("reason", c.reason()) + " size=" + c.sizeBytes();
            case LifecycleEvent.ConnectionError e ->
                "connection error"
                        + kv(
                                "code",
                                e.frame().has("error_code")
                                        ? e.frame().path("error_code").asText(null)
                                        : e.frame().path("code").asText(null));
        };
    }

    private String chunkEvent(RunRecord record) {
        String type = record.messageType();
        if ("ping".equals(type)) {
            return null;
        }
        if ("stop_reason".equals(type)) {
            return "stop_reason " + field(record, "stop_reason");
        }
        if ("error_message".equals(type) || type == null) {
            return "error" + kv("type", field(record, "error_type")) + kv("message", field(record, "message"));
        }
        return streaming.add(record.runId()) ? "streaming (first " + type + ")" : null;
    }

    private String end(RunRecord record, String what) {
        streaming.remove(record.runId());
        return what + " chunks=" + chunks.getOrDefault(record.runId(), 0L);
    }

    private static String kv(String key, String value) {
        return value == null ? "" : " " + key + "=" + value;
    }

    private static String field(RunRecord record, String name) {
        try {
            JsonNode value = Json.MAPPER.readTree(record.record().value()).get(name);
            return value == null || value.isNull() ? null : value.asText();
        } catch (IOException e) {
            return null;
        }
    }
}
