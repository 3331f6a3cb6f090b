package dev.lsr.sim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sends, background storage, seq rules, resume, otid replay, 400/404/410 — against the real server. */
class SendAndResumeIT {

    private static final String AGENT = "agent-11111111-2222-4333-8444-555555555555";
    private static final Duration READ = Duration.ofSeconds(30);
    private LettaSim sim;
    private SimClient client;

    private void start(LettaSim.Builder builder) {
        sim = builder.start();
        client = new SimClient(sim.baseUrl());
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private static String send(String otid, boolean background, String text) {
        return "{\"messages\":[{\"type\":\"message\",\"role\":\"user\",\"content\":\"" + text + "\",\"otid\":\"" + otid
                + "\"}],\"streaming\":true,\"stream_tokens\":true,\"include_pings\":true,\"background\":" + background
                + ",\"include_compaction_messages\":true,\"agent_id\":\"" + AGENT + "\"}";
    }

    @Test
    void aBackgroundSendStoresEveryFrameWithSeqsFromOneAndHidesTheTerminalNumbers() throws Exception {
        start(LettaSim.builder());

        SimClient.Answer answer = client.post(
                "/v1/conversations/default/messages", send(UUID.randomUUID().toString(), true, "hello [sim:tool]"));

        assertEquals(200, answer.status());
        List<SseFrames.Frame> frames = SseFrames.parse(answer.body());
        SseFrames.Frame first = frames.getFirst();
        assertEquals("ping", first.type());
        assertEquals(1L, first.seq());
        String runId = first.json().get("run_id").asText();
        List<StoredFrame> stored = sim.storedFrames(runId);
        assertEquals(frames.size(), stored.size(), "no keepalive pings at pace ZERO, so every frame is stored");
        for (int i = 0; i < stored.size(); i++) {
            assertEquals(i + 1, stored.get(i).seq());
            assertArrayEquals(
                    stored.get(i).servedBytes(),
                    SseFrames.parse(answer.body()).get(i).data() == null
                            ? null
                            : stored.get(i).servedBytes());
        }
        List<String> tail = frames.subList(frames.size() - 3, frames.size()).stream()
                .map(SseFrames.Frame::type)
                .toList();
        assertEquals(List.of("stop_reason", "usage_statistics", "[DONE]"), tail);
        for (int i = 0; i < frames.size() - 3; i++) {
            assertEquals(i + 1L, frames.get(i).seq(), "visible seqs are contiguous up to the stop_reason");
            assertEquals(runId, frames.get(i).json().get("run_id").asText());
        }
        assertNull(frames.get(frames.size() - 3).seq(), "stop_reason shows no seq");
        assertTrue(stored.getLast().isFinal());
        JsonNode run = SseFrames.JSON.readTree(client.get("/v1/runs/" + runId).body());
        assertEquals("completed", run.get("status").asText());
        assertEquals("end_turn", run.get("stop_reason").asText());
        assertEquals(AGENT, run.get("agent_id").asText());
        assertTrue(run.get("conversation_id").isNull());
        assertTrue(run.get("background").asBoolean());
    }

    @Test
    void aResumeReturnsExactlyTheStoredFramesAfterTheCursor() throws Exception {
        start(LettaSim.builder());
        SimClient.Answer sent = client.post(
                "/v1/agents/" + AGENT + "/messages/stream",
                send(UUID.randomUUID().toString(), true, "hi [sim:reply] [sim:chunks=30]"));
        String runId = SimClient.runIdOf(sent.body());
        List<StoredFrame> stored = sim.storedFrames(runId);

        SimClient.Answer resumed =
                client.post("/v1/runs/" + runId + "/stream", "{\"starting_after\":10,\"batch_size\":1000}");

        StringBuilder expected = new StringBuilder();
        stored.stream()
                .filter(frame -> frame.seq() > 10)
                .forEach(frame -> expected.append(new String(frame.servedBytes())));
        assertEquals(expected.toString(), resumed.text());
        assertTrue(sent.text().endsWith(resumed.text()), "a resume shows the same bytes as the original stream");
    }

    @Test
    void aTrimmedStreamServesOnlyItsNewestEntries() throws Exception {
        start(LettaSim.builder().maxStreamEntries(20));
        SimClient.Answer sent = client.post(
                "/v1/agents/" + AGENT + "/messages/stream",
                send(UUID.randomUUID().toString(), true, "hi [sim:reply] [sim:chunks=60]"));
        String runId = SimClient.runIdOf(sent.body());
        List<StoredFrame> stored = sim.storedFrames(runId);
        assertTrue(stored.size() > 40, "every stored frame stays listed: " + stored.size());

        SimClient.Answer resumed = client.post("/v1/runs/" + runId + "/stream", "{\"starting_after\":5}");

        StringBuilder expected = new StringBuilder();
        stored.subList(stored.size() - 20, stored.size())
                .forEach(frame -> expected.append(new String(frame.servedBytes())));
        assertEquals(
                expected.toString(), resumed.text(), "only the newest 20 entries are left; the rest is silently gone");
    }

    @Test
    void foregroundStreamsShowNullSeqsAndCannotBeResumed() throws Exception {
        start(LettaSim.builder());

        SimClient.Answer answer = client.post(
                "/v1/agents/" + AGENT + "/messages/stream",
                send(UUID.randomUUID().toString(), false, "hi"));

        List<SseFrames.Frame> frames = SseFrames.parse(answer.body());
        assertEquals("ping", frames.getFirst().type());
        String runId = frames.getFirst().json().get("run_id").asText();
        for (SseFrames.Frame frame : frames) {
            if (!frame.isDone()) {
                assertTrue(
                        frame.json().has("seq_id") ? frame.json().get("seq_id").isNull() : true, frame.data());
            }
        }
        assertEquals("[DONE]", frames.getLast().type());
        assertTrue(sim.storedFrames(runId).isEmpty());
        SimClient.Answer resume = client.post("/v1/runs/" + runId + "/stream", "{}");
        assertEquals(400, resume.status());
        assertEquals(
                "{\"detail\":\"Run was not created in background mode, so it cannot be retrieved.\"}", resume.text());
        JsonNode run = SseFrames.JSON.readTree(client.get("/v1/runs/" + runId).body());
        assertFalse(run.get("background").asBoolean());
    }

    @Test
    void unknownRunsAre404AndRunsOlderThanTheRetentionAre410() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-14T17:00:00Z"));
        start(LettaSim.builder()
                .clock(clock)
                .recordedRun("01", dev.lsr.fixtures.LettaFixtures.sseBody("01-simple-reply")));
        String runId = sim.runIds().getFirst();

        assertEquals(
                404,
                client.post("/v1/runs/run-00000000-0000-4000-8000-000000000000/stream", "{}")
                        .status());
        assertEquals(
                404,
                client.get("/v1/runs/run-00000000-0000-4000-8000-000000000000").status());
        clock.advance(Duration.ofHours(3));
        assertEquals(200, client.post("/v1/runs/" + runId + "/stream", "{}").status(), "exactly 3 h is still fine");
        clock.advance(Duration.ofSeconds(1));
        SimClient.Answer expired = client.post("/v1/runs/" + runId + "/stream", "{}");
        assertEquals(410, expired.status());
        assertEquals("{\"detail\":\"Run was created more than 3 hours ago, and is now expired.\"}", expired.text());
        assertEquals(
                410,
                client.post("/v1/conversations/default/stream", "{\"run_id\":\"" + runId + "\"}")
                        .status());
    }

    @Test
    void storedFramesOfExpiredRunsAreDroppedButTheRunStaysListed() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-14T17:00:00Z"));
        start(LettaSim.builder()
                .clock(clock)
                .retention(Duration.ofSeconds(12))
                .recordedRun("01", dev.lsr.fixtures.LettaFixtures.sseBody("01-simple-reply")));
        String runId = sim.runIds().getFirst();
        assertEquals(63, sim.storedFrames(runId).size());

        clock.advance(Duration.ofSeconds(13));
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> sim.storedFrames(runId).isEmpty());

        assertTrue(sim.storedFrames(runId).isEmpty(), "the sweeper drops what Redis would have expired");
        assertEquals(200, client.get("/v1/runs/" + runId).status());
        assertEquals(410, client.post("/v1/runs/" + runId + "/stream", "{}").status());
    }

    @Test
    void rePostingTheSameOtidsInBackgroundModeReplaysTheExistingRun() throws Exception {
        start(LettaSim.builder());
        String otid = UUID.randomUUID().toString();

        SimClient.Answer first = client.post("/v1/conversations/conv-42/messages", send(otid, true, "hi"));
        SimClient.Answer again = client.post("/v1/conversations/conv-42/messages", send(otid, true, "hi"));
        SimClient.Answer other = client.post(
                "/v1/conversations/conv-42/messages", send(UUID.randomUUID().toString(), true, "hi"));

        assertArrayEquals(first.body(), again.body());
        assertNotEquals(SimClient.runIdOf(first.body()), SimClient.runIdOf(other.body()));
        assertEquals(2, sim.runIds().size());
        SimClient.Answer byOtid = client.post("/v1/conversations/conv-42/stream", "{\"otid\":\"" + otid + "\"}");
        assertArrayEquals(first.body(), byOtid.body());
    }

    @Test
    void theDeprecatedAgentRouteTakesNoLockAndDoesNotDedupeButTheDefaultConversationDoes() throws Exception {
        start(LettaSim.builder().pace(Duration.ofMillis(20)));
        String otid = UUID.randomUUID().toString();
        String agentRoute = "/v1/agents/" + AGENT + "/messages/stream";
        String defaultRoute = "/v1/conversations/default/messages";

        try (LiveStream agentRun =
                        LiveStream.open(sim.baseUrl() + agentRoute, send(otid, true, "hi [sim:chunks=200]"), READ);
                LiveStream again =
                        LiveStream.open(sim.baseUrl() + agentRoute, send(otid, true, "hi [sim:chunks=200]"), READ);
                LiveStream defaultRun = LiveStream.open(
                        sim.baseUrl() + defaultRoute,
                        toDefault(send(UUID.randomUUID().toString(), true, "hi [sim:chunks=200]")),
                        READ)) {
            String runId = agentRun.next().json().get("run_id").asText();
            String againId = again.next().json().get("run_id").asText();
            String defaultId = defaultRun.next().json().get("run_id").asText();

            SimClient.Answer busy =
                    client.post(defaultRoute, toDefault(send(UUID.randomUUID().toString(), true, "hi")));

            assertNotEquals(runId, againId, "the same otid again is a second run on the agent route");
            assertNotEquals(runId, defaultId, "agent-route runs take no lock");
            assertEquals(409, busy.status(), "the default conversation locks on the agent: " + busy.text());
            assertTrue(busy.text().contains(defaultId), busy.text());
        }
    }

    private static String toDefault(String sendBody) {
        return sendBody.replaceFirst("\\{", "{\"agent_id\":\"" + AGENT + "\",");
    }

    @Test
    void aRefusedSendIsCloudsShuttingDown503AndStartsNoRun() throws Exception {
        start(LettaSim.builder()
                .faults(FaultPlan.builder()
                        .refuseSends(1, Duration.ofSeconds(2))
                        .build()));
        String body = send(UUID.randomUUID().toString(), true, "hi");

        SimClient.Answer refused = client.post("/v1/conversations/conv-9/messages", body);
        SimClient.Answer accepted = client.post("/v1/conversations/conv-9/messages", body);

        assertEquals(503, refused.status());
        assertEquals("2", refused.retryAfter());
        JsonNode error = SseFrames.JSON.readTree(refused.body());
        assertEquals("cloud_api_shutting_down", error.get("errorCode").asText());
        assertFalse(error.get("admitted").asBoolean());
        assertTrue(error.get("retryable").asBoolean());
        assertEquals(200, accepted.status());
        assertEquals(List.of(SimClient.runIdOf(accepted.body())), sim.runIds(), "the refused send started no run");
    }

    @Test
    void emptyMessagesAreRejected() throws Exception {
        start(LettaSim.builder());
        SimClient.Answer answer = client.post("/v1/agents/" + AGENT + "/messages/stream", "{\"messages\":[]}");
        assertEquals(422, answer.status());
        assertEquals("{\"detail\":\"Messages must not be empty\"}", answer.text());
    }

    @Test
    void theUserAgentGateRejectsNonSdkClientsOnTheAgentMessagesRoute() throws Exception {
        start(LettaSim.builder());
        String body = send(UUID.randomUUID().toString(), true, "hi");
        SimClient.Answer gated = client.post("/v1/agents/" + AGENT + "/messages", body);
        assertEquals(422, gated.status(), gated.text());
        SimClient.Answer sdk = client.call(new okhttp3.Request.Builder()
                .url(sim.baseUrl() + "/v1/agents/" + AGENT + "/messages")
                .header("User-Agent", "letta-client/1.12.1")
                .post(okhttp3.RequestBody.create(body, okhttp3.MediaType.get("application/json")))
                .build());
        assertEquals(200, sdk.status());
    }

    @Test
    void aNonStreamingSendAnswersWithTheRunsMessages() throws Exception {
        start(LettaSim.builder());
        SimClient.Answer answer = client.post(
                "/v1/agents/" + AGENT + "/messages", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, answer.status(), answer.text());
        JsonNode response = SseFrames.JSON.readTree(answer.body());
        List<String> types = new ArrayList<>();
        response.get("messages").forEach(m -> types.add(m.get("message_type").asText()));
        assertTrue(types.contains("assistant_message"), types.toString());
        assertEquals("end_turn", response.get("stop_reason").get("stop_reason").asText());
        assertEquals(
                "usage_statistics", response.get("usage").get("message_type").asText());
    }

    @Test
    void anApiKeyIsRequiredWhenConfigured() throws Exception {
        start(LettaSim.builder().apiKey("secret"));
        assertEquals(401, client.get("/v1/runs/").status());
        SimClient.Answer ok = client.call(new okhttp3.Request.Builder()
                .url(sim.baseUrl() + "/v1/runs/")
                .header("Authorization", "Bearer secret")
                .build());
        assertEquals(200, ok.status());
        assertEquals("[]", ok.text());
    }
}
