package dev.lsr.sim.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.sim.StoredFrame;
import dev.lsr.sim.internal.Json;
import dev.lsr.sim.internal.RunFactory;
import dev.lsr.sim.internal.SimEngine;
import dev.lsr.sim.internal.store.FrameText;
import dev.lsr.sim.internal.store.Run;
import dev.lsr.sim.internal.store.RunRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The send routes: {@code POST /v1/agents/{id}/messages/stream}, {@code POST /v1/agents/{id}/messages}
 * and {@code POST /v1/conversations/{id}/messages}. A conversation send (also {@code default} with
 * {@code agent_id}) creates a generated run under the conversation (or agent) lock — 409 with the
 * holder's run id when it is taken — and streams it; a background re-POST of the same otids replays
 * the existing run from seq 1 instead. The agent routes, deprecated, take no lock and do not dedupe:
 * every send starts a new run, as on Letta's server (protocol §3.8). A {@link
 * dev.lsr.sim.FaultPlan.Builder#refuseSends} fault refuses sends with Letta Cloud's 503.
 */
final class SendEndpoints {

    private static final Pattern SDK_USER_AGENT = Pattern.compile("^(@letta-ai/)?letta-client/1\\..*");

    private final SimEngine engine;
    private final RunFactory factory;
    private final StreamService streams;

    SendEndpoints(SimEngine engine, RunFactory factory, StreamService streams) {
        this.engine = engine;
        this.factory = factory;
        this.streams = streams;
    }

    void register(Router router) {
        router.add("POST", "/v1/agents/{agent_id}/messages/stream", ex -> agent(ex, true))
                .add("POST", "/v1/agents/{agent_id}/messages", ex -> agent(ex, false))
                .add("POST", "/v1/conversations/{conversation_id}/messages", this::conversation);
    }

    private void agent(Exchange exchange, boolean streamRoute) throws Exception {
        String agentId = exchange.path(0);
        SendRequest send = SendRequest.parse(exchange.jsonBody(), streamRoute);
        boolean streaming = streamRoute || send.streaming();
        if (!streamRoute && streaming && engine.config().userAgentGate() && !isSdk(exchange)) {
            throw HttpProblem.unprocessable("streaming=true is only supported for SDK v1.0+ clients.");
        }
        if (!streaming
                && (send.streamTokens() || (send.includePingsGiven() && !send.includePings()) || send.background())) {
            throw HttpProblem.unprocessable(
                    "stream_tokens, include_pings and background are only supported when streaming=true.");
        }
        handle(
                exchange,
                send,
                streaming,
                new RunFactory.Spec(
                        agentId,
                        null,
                        null,
                        "send_message",
                        send.background() && streaming,
                        send.includePings(),
                        send.streamTokens() && streaming,
                        send.compactionEvents(),
                        send.shape(),
                        send.chunks(),
                        send.retries()));
    }

    private void conversation(Exchange exchange) throws Exception {
        String conversationId = exchange.path(0);
        SendRequest send = SendRequest.parse(exchange.jsonBody(), true);
        String lockKey = MessagesEndpoints.lockKey(conversationId, send.agentId());
        boolean agentDirect = lockKey.startsWith("agent:");
        String agentId = agentDirect
                ? lockKey.substring("agent:".length())
                : Optional.ofNullable(engine.agentOf(conversationId))
                        .orElse(send.agentId() != null ? send.agentId() : derivedAgent(conversationId));
        // the archived conversation routes do not forward include_compaction_messages (§1.2)
        handle(
                exchange,
                send,
                send.streaming(),
                new RunFactory.Spec(
                        agentId,
                        agentDirect ? null : conversationId,
                        lockKey,
                        "send_conversation_message",
                        send.background() && send.streaming(),
                        send.includePings(),
                        send.streamTokens() && send.streaming(),
                        false,
                        send.shape(),
                        send.chunks(),
                        send.retries()));
    }

    /** A spec without a lock key (the agent routes) takes no lock and is never a replay. */
    private void handle(Exchange exchange, SendRequest send, boolean streaming, RunFactory.Spec spec) throws Exception {
        if (engine.faults().refuseSend()) {
            refuse(exchange);
            return;
        }
        String token = send.token();
        if (spec.background() && spec.lockKey() != null) {
            Optional<Run> existing = engine.registry().findByToken(token);
            if (existing.isPresent()) {
                streams.sendResponse(exchange, existing.get(), new ReadRequest(0, send.includePings(), true));
                return;
            }
        }
        RunFactory.Spec effective = streaming
                ? spec
                : new RunFactory.Spec(
                        spec.agentId(),
                        spec.conversationId(),
                        spec.lockKey(),
                        spec.runType(),
                        false,
                        false,
                        false,
                        spec.compactionEvents(),
                        spec.shape(),
                        spec.chunks(),
                        spec.retries());
        RunRegistry.Creation creation = factory.createForSend(effective);
        if (creation instanceof RunRegistry.Creation.Busy busy) {
            String holder = busy.holder().id();
            throw new HttpProblem(
                    409,
                    "Cannot send a new message: Another request (run_id=" + holder
                            + ") is currently being processed for this conversation. Please wait for it to complete.",
                    Map.of("run_id", holder));
        }
        Run run = ((RunRegistry.Creation.Created) creation).run();
        engine.registry().rememberSend(run, send.otids(), token);
        if (streaming) {
            streams.sendResponse(exchange, run, new ReadRequest(0, spec.includePings(), spec.background()));
        } else {
            exchange.json(200, lettaResponse(run));
        }
    }

    /** Letta Cloud's answer to a send while it shuts an instance down: the message was not accepted. */
    private void refuse(Exchange exchange) {
        ObjectNode body = Json.object()
                .put("error", "Service temporarily unavailable: this instance is shutting down.")
                .put("errorCode", "cloud_api_shutting_down")
                .put("admitted", false)
                .put("retryable", true);
        exchange.json(
                503,
                Json.write(body),
                Map.of(
                        "Retry-After",
                        Long.toString(engine.faults().refusalRetryAfter().toSeconds())));
    }

    private static boolean isSdk(Exchange exchange) {
        String userAgent = exchange.header("User-Agent");
        return exchange.header("X-Stainless-Package-Version") != null
                || userAgent == null
                || SDK_USER_AGENT.matcher(userAgent).matches();
    }

    private static String derivedAgent(String conversationId) {
        return "agent-" + java.util.UUID.nameUUIDFromBytes(conversationId.getBytes(StandardCharsets.UTF_8));
    }

    /** The JSON LettaResponse of a non-streaming send: the run's messages, stop_reason and usage. */
    private static String lettaResponse(Run run) throws InterruptedException {
        if (!run.stream().awaitFinished(10, TimeUnit.MINUTES)) {
            throw new HttpProblem(504, "The run did not finish in time.");
        }
        ObjectNode response = Json.object();
        ArrayNode messages = response.putArray("messages");
        JsonNode stopReason = null;
        JsonNode usage = null;
        for (StoredFrame frame : run.stream().frames()) {
            String text = new String(FrameText.fillRunId(frame.bytes(), run.id()), StandardCharsets.UTF_8);
            if (!text.startsWith("data: {")) {
                continue;
            }
            JsonNode chunk = Json.parseOrNull(text.substring("data: ".length()).trim());
            if (chunk == null) {
                continue;
            }
            switch (chunk.path("message_type").asText()) {
                case "stop_reason" -> stopReason = chunk;
                case "usage_statistics" -> usage = chunk;
                case "ping" -> {}
                case "error_message" ->
                    throw new HttpProblem(500, chunk.path("message").asText("Internal Server Error"));
                default -> messages.add(chunk);
            }
        }
        response.set("stop_reason", stopReason);
        response.set("usage", usage);
        return Json.write(response);
    }
}
