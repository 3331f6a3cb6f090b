package dev.lsr.sim.internal.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.sim.internal.Json;
import dev.lsr.sim.internal.store.Run;
import dev.lsr.sim.internal.store.RunInfo;
import dev.lsr.sim.internal.store.WireTime;
import java.util.List;

/** The Run object of {@code GET /v1/runs/{id}} (protocol §3.6), fields in the server's order. */
final class RunJson {

    private RunJson() {}

    static ObjectNode of(Run run) {
        RunInfo info = run.info();
        Run.RunState state = run.state();
        ObjectNode node = Json.object();
        node.put("id", info.id());
        node.put("status", state.status().wire());
        node.put("created_at", WireTime.runTime(info.createdAt()));
        node.put("completed_at", state.completedAt() == null ? null : WireTime.runTime(state.completedAt()));
        node.put("agent_id", info.agentId());
        node.put("conversation_id", info.conversationId());
        node.putNull("base_template_id");
        node.put("background", info.background());
        ObjectNode metadata = node.putObject("metadata");
        metadata.put("run_type", info.runType());
        if (state.errorJson() != null) {
            metadata.set("error", Json.parseOrNull(state.errorJson()));
        }
        ObjectNode requestConfig = node.putObject("request_config");
        requestConfig.put("use_assistant_message", true);
        requestConfig.put("assistant_message_tool_name", "send_message");
        requestConfig.put("assistant_message_tool_kwarg", "message");
        requestConfig.putNull("include_return_message_types");
        node.put("stop_reason", state.stopReason());
        node.putNull("callback_url");
        node.putNull("callback_sent_at");
        node.putNull("callback_status_code");
        node.putNull("callback_error");
        node.put("ttft_ns", state.ttftNs());
        node.put("total_duration_ns", state.totalDurationNs());
        return node;
    }

    static String list(List<Run> runs) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        runs.forEach(run -> array.add(of(run)));
        return Json.write(array);
    }
}
