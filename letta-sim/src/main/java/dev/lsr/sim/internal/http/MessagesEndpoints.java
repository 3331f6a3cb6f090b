package dev.lsr.sim.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.sim.internal.Json;
import dev.lsr.sim.internal.SimEngine;
import dev.lsr.sim.internal.store.Run;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversation and agent message routes: attach by conversation ({@code POST
 * /v1/conversations/{id}/stream}) and cancel. Sends are served by {@link SendEndpoints}.
 */
final class MessagesEndpoints {

    private final SimEngine engine;
    private final StreamService streams;
    private final RunsEndpoints runs;

    MessagesEndpoints(SimEngine engine, StreamService streams, RunsEndpoints runs) {
        this.engine = engine;
        this.streams = streams;
        this.runs = runs;
    }

    void register(Router router) {
        router.add("POST", "/v1/conversations/{conversation_id}/stream", this::conversationStream)
                .add("POST", "/v1/conversations/{conversation_id}/cancel", this::conversationCancel)
                .add("POST", "/v1/agents/{agent_id}/messages/cancel", this::agentCancel);
    }

    /** Lock key of a conversation route: the conversation, or the agent for {@code default}. */
    static String lockKey(String conversationId, String agentId) {
        if ("default".equals(conversationId) || conversationId.startsWith("agent-")) {
            String agent = conversationId.startsWith("agent-") ? conversationId : agentId;
            if (agent == null) {
                throw HttpProblem.unprocessable("agent_id is required when conversation_id is 'default'.");
            }
            return agentKey(agent);
        }
        return "conversation:" + conversationId;
    }

    static String agentKey(String agentId) {
        return "agent:" + agentId;
    }

    private void conversationStream(Exchange exchange) throws Exception {
        String conversationId = exchange.path(0);
        ObjectNode body = exchange.jsonBody();
        String runId = Params.text(body, "run_id");
        String otid = Params.text(body, "otid");
        Run run;
        boolean lookedUpActive = false;
        if (runId != null) {
            run = runs.find(runId);
        } else if (otid != null) {
            run = engine.registry()
                    .findByOtid(otid)
                    .orElseThrow(() -> HttpProblem.notFound("No run found for otid=" + otid));
        } else {
            String key = lockKey(conversationId, Params.text(body, "agent_id"));
            run = engine.registry()
                    .latestActive(key)
                    .orElseThrow(() -> HttpProblem.badRequest("No active runs found for this conversation."));
            lookedUpActive = true;
        }
        streams.checkResumable(run, lookedUpActive);
        ReadRequest request = body == null ? new ReadRequest(0, false, true) : RunsEndpoints.readRequest(body, true);
        streams.resume(exchange, run, request);
    }

    private void conversationCancel(Exchange exchange) throws Exception {
        String conversationId = exchange.path(0);
        String key = lockKey(conversationId, exchange.query().getValue("agent_id"));
        List<Run> active = engine.registry().active(run -> key.equals(run.info().lockKey()));
        if (active.isEmpty()) {
            throw new HttpProblem(409, "No active runs to cancel for conversation " + conversationId + ".");
        }
        exchange.json(200, Json.write(cancelAll(active)));
    }

    private void agentCancel(Exchange exchange) throws Exception {
        String agentId = exchange.path(0);
        ObjectNode body = exchange.jsonBody();
        List<Run> targets = new ArrayList<>();
        JsonNode ids = body == null ? null : body.get("run_ids");
        if (ids != null && ids.isArray() && !ids.isEmpty()) {
            for (JsonNode id : ids) {
                targets.add(runs.find(id.asText()));
            }
        } else {
            targets.addAll(
                    engine.registry().active(run -> agentId.equals(run.info().agentId())));
        }
        exchange.json(200, Json.write(cancelAll(targets)));
    }

    private ObjectNode cancelAll(List<Run> targets) {
        ObjectNode result = Json.object();
        for (Run run : targets) {
            boolean cancelled = engine.cancel(run);
            result.put(run.id(), cancelled ? "cancelled" : "failed");
        }
        return result;
    }
}
