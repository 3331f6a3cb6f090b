package dev.lsr.replay.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.LettaRunStatus;
import dev.lsr.chunklog.RecordType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The Run object of {@code GET /v1/runs/{id}} (protocol §3.6) built from the log: the Run the
 * recorder fetched from Letta (from {@code run.finished}, else {@code run.attached}) with what the log
 * itself says laid over it (status, stop reason, agent, conversation, created and completed times),
 * every field of Letta's Run present, in the server's order.
 */
final class RunJson {

    private static final DateTimeFormatter RUN_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final List<String> FIELDS = List.of(
            "id",
            "status",
            "created_at",
            "completed_at",
            "agent_id",
            "conversation_id",
            "base_template_id",
            "background",
            "metadata",
            "request_config",
            "stop_reason",
            "callback_url",
            "callback_sent_at",
            "callback_status_code",
            "callback_error",
            "ttft_ns",
            "total_duration_ns");

    private RunJson() {}

    static ObjectNode of(IndexedRun.Snapshot run) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        JsonNode recorded = run.recordedRun();
        for (String field : FIELDS) {
            node.set(field, recorded != null && recorded.has(field) ? recorded.get(field) : null);
        }
        if (recorded != null) {
            recorded.properties().forEach(e -> {
                if (!node.has(e.getKey())) {
                    node.set(e.getKey(), e.getValue()); // fields of newer servers pass through
                }
            });
        }
        node.put("id", run.runId());
        node.put("status", status(run));
        if (Json.text(recorded, "created_at") == null) {
            node.put("created_at", time(run.firstRecordAt()));
        }
        if (run.ended() && Json.text(recorded, "completed_at") == null) {
            node.put("completed_at", time(run.terminalAt()));
        }
        node.put("agent_id", run.agentId());
        node.put("conversation_id", run.conversationId());
        if (run.background() != null) {
            node.put("background", run.background());
        }
        if (run.lastStopReason() != null) {
            node.put("stop_reason", run.lastStopReason());
        }
        if (!node.get("metadata").isObject()) {
            node.putObject("metadata");
        }
        ObjectNode metadata = (ObjectNode) node.get("metadata");
        if ("failed".equals(node.get("status").asText()) && run.errorFrame() != null && !metadata.has("error")) {
            metadata.set("error", run.errorFrame());
        }
        return node;
    }

    static byte[] list(List<IndexedRun.Snapshot> runs) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        runs.forEach(run -> array.add(of(run)));
        return Json.write(array);
    }

    /**
     * Running until the log's terminal record; then the status Letta reported at the end, else the
     * one its stop reason leads to (protocol §2.12).
     */
    static String status(IndexedRun.Snapshot run) {
        if (!run.ended()) {
            return "running";
        }
        if (run.terminalStatus() != null) {
            return run.terminalStatus();
        }
        String recorded = Json.text(run.recordedRun(), "status");
        if (recorded != null && LettaRunStatus.isTerminal(recorded)) {
            return recorded;
        }
        if (run.terminal() == RecordType.RUN_FINISHED && run.lastStopReason() != null) {
            return LettaRunStatus.ofStopReason(run.lastStopReason());
        }
        return "failed";
    }

    static String time(Instant instant) {
        return instant == null ? null : RUN_TIME.format(instant.truncatedTo(ChronoUnit.MICROS));
    }
}
