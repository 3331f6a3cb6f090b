package dev.lsr.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Live runs: the conversation lock (409), cancel, keepalive pings, and the runs list. */
class LiveRunsIT {

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

    private static String send(String text, boolean background, boolean pings) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\",\"otid\":\"" + UUID.randomUUID()
                + "\"}],\"streaming\":true,\"stream_tokens\":true,\"include_pings\":" + pings + ",\"background\":"
                + background + "}";
    }

    @Test
    void aSecondSendToABusyConversationGets409WithTheHolderAndCancelEndsTheRun() throws Exception {
        start(LettaSim.builder().pace(Duration.ofMillis(50)));
        try (LiveStream first = LiveStream.open(
                sim.baseUrl() + "/v1/conversations/conv-busy/messages",
                send("long one [sim:reply] [sim:chunks=400]", true, true),
                READ)) {
            SseFrames.Frame ping = first.next();
            String runId = ping.json().get("run_id").asText();

            SimClient.Answer busy = client.post("/v1/conversations/conv-busy/messages", send("again", true, true));

            assertEquals(409, busy.status());
            JsonNode detail = SseFrames.JSON.readTree(busy.body());
            assertTrue(
                    detail.get("detail")
                            .asText()
                            .startsWith("Cannot send a new message: Another request (run_id=" + runId
                                    + ") is currently being processed"),
                    detail.toString());
            assertEquals(runId, detail.get("run_id").asText());
            assertEquals(
                    200,
                    client.post("/v1/conversations/conv-other/messages", send("x", true, true))
                            .status(),
                    "other conversations are not locked");

            SimClient.Answer cancel = client.post("/v1/conversations/conv-busy/cancel", "");
            assertEquals("{\"" + runId + "\":\"cancelled\"}", cancel.text());

            List<SseFrames.Frame> rest = new ArrayList<>();
            for (SseFrames.Frame frame = first.next(); frame != null; frame = first.next()) {
                rest.add(frame);
            }
            assertEquals("[DONE]", rest.getLast().type());
            assertEquals(
                    "{\"message_type\": \"stop_reason\", \"stop_reason\": \"cancelled\"}",
                    rest.get(rest.size() - 2).data());
            JsonNode run =
                    SseFrames.JSON.readTree(client.get("/v1/runs/" + runId).body());
            assertEquals("cancelled", run.get("status").asText());
            assertEquals("cancelled", run.get("stop_reason").asText());
            assertTrue(run.get("completed_at").isTextual());
        }
        assertEquals(409, client.post("/v1/conversations/conv-busy/cancel", "").status(), "nothing left to cancel");
        assertEquals(
                200,
                client.post("/v1/conversations/conv-busy/messages", send("now free", true, true))
                        .status());
    }

    @Test
    void keepalivePingsRepeatTheLastSeqAreNotStoredAndAreOffWithoutPings() throws Exception {
        start(LettaSim.builder().pace(Duration.ofMillis(20)).keepaliveInterval(Duration.ofMillis(150)));
        SimClient.Answer answer =
                client.post("/v1/agents/" + AGENT + "/messages/stream", send("[sim:long] [sim:chunks=40]", true, true));
        List<SseFrames.Frame> frames = SseFrames.parse(answer.body());
        String runId = frames.getFirst().json().get("run_id").asText();
        int keepalives = 0;
        Long lastSeq = null;
        for (SseFrames.Frame frame : frames.subList(1, frames.size())) {
            if (frame.type().equals("ping")) {
                keepalives++;
                assertEquals(lastSeq, frame.seq(), "a keepalive repeats the last seq seen on the connection");
            } else if (frame.seq() != null) {
                lastSeq = frame.seq();
            }
        }
        assertTrue(keepalives > 0, "the long run's pauses exceed the keepalive interval");
        assertEquals(frames.size() - keepalives, sim.storedFrames(runId).size(), "keepalive pings are never stored");
        assertEquals(
                1,
                sim.storedFrames(runId).stream()
                        .filter(f -> f.text().contains("\"message_type\":\"ping\""))
                        .count());

        SimClient.Answer quiet = client.post(
                "/v1/agents/" + AGENT + "/messages/stream", send("[sim:long] [sim:chunks=40]", true, false));
        List<SseFrames.Frame> quietFrames = SseFrames.parse(quiet.body());
        assertTrue(
                quietFrames.stream().noneMatch(f -> f.type().equals("ping")), "include_pings:false: no pings at all");
        assertEquals(1L, quietFrames.getFirst().seq(), "without the initial ping the first chunk takes seq 1");
    }

    @Test
    void aReaderThatHasSeenNothingPingsWithNullSeq() throws Exception {
        start(LettaSim.builder().pace(Duration.ofMillis(50)).keepaliveInterval(Duration.ofMillis(200)));
        try (LiveStream sending = LiveStream.open(
                sim.baseUrl() + "/v1/agents/" + AGENT + "/messages/stream",
                send("[sim:chunks=300]", true, true),
                READ)) {
            String runId = sending.next().json().get("run_id").asText();
            try (LiveStream ahead = LiveStream.open(
                    sim.baseUrl() + "/v1/runs/" + runId + "/stream", "{\"starting_after\":100000}", READ)) {
                SseFrames.Frame ping = ahead.next();
                assertEquals("ping", ping.type());
                assertNull(ping.seq());
                assertTrue(ping.data().contains("\"seq_id\":null,\"run_id\":\"" + runId + "\""), ping.data());
            }
        }
    }

    @Test
    void theConversationStreamAttachesToTheLatestActiveRun() throws Exception {
        start(LettaSim.builder().pace(Duration.ofMillis(30)));
        assertEquals(400, client.post("/v1/conversations/conv-7/stream", "{}").status(), "no active run yet");
        try (LiveStream sending = LiveStream.open(
                sim.baseUrl() + "/v1/conversations/conv-7/messages", send("[sim:chunks=20]", true, true), READ)) {
            String runId = sending.next().json().get("run_id").asText();
            try (LiveStream attached = LiveStream.open(
                    sim.baseUrl() + "/v1/conversations/conv-7/stream", "{\"starting_after\":0}", READ)) {
                SseFrames.Frame first = attached.next();
                assertEquals(runId, first.json().get("run_id").asText());
                assertEquals(1L, first.seq());
                SseFrames.Frame last = first;
                for (SseFrames.Frame frame = attached.next(); frame != null; frame = attached.next()) {
                    last = frame;
                }
                assertEquals("[DONE]", last.type());
            }
        }
    }

    @Test
    void theRunsListFiltersSortsAndPages() throws Exception {
        MutableClock clock = new MutableClock(java.time.Instant.parse("2026-03-14T17:00:00Z"));
        start(LettaSim.builder().clock(clock));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(1));
            String path = i % 2 == 0 ? "/v1/conversations/conv-a/messages" : "/v1/agents/" + AGENT + "/messages/stream";
            String text = i == 3 ? "[sim:error]" : "hi";
            ids.add(SimClient.runIdOf(
                    client.post(path, send(text, i != 2, true)).body()));
        }

        assertEquals(List.of(ids.get(3), ids.get(2), ids.get(1), ids.get(0)), listIds("/v1/runs/"));
        assertEquals(ids, listIds("/v1/runs?order=asc"));
        assertEquals(List.of(ids.get(0), ids.get(2)), listIds("/v1/runs/?conversation_id=conv-a&order=asc"));
        assertEquals(List.of(ids.get(3), ids.get(1)), listIds("/v1/runs/?agent_id=" + AGENT));
        assertEquals(List.of(ids.get(2)), listIds("/v1/runs/?background=false"));
        assertEquals(List.of(ids.get(3)), listIds("/v1/runs/?statuses=failed"));
        assertEquals(
                List.of(ids.get(3), ids.get(2), ids.get(1), ids.get(0)),
                listIds("/v1/runs/?statuses=failed&statuses=completed"));
        assertEquals(List.of(), listIds("/v1/runs/?active=true"));
        assertEquals(List.of(ids.get(3), ids.get(2)), listIds("/v1/runs/?limit=2"));
        assertEquals(List.of(ids.get(1), ids.get(0)), listIds("/v1/runs/?after=" + ids.get(2)));
        assertEquals(List.of(ids.get(2), ids.get(3)), listIds("/v1/runs/?order=asc&after=" + ids.get(1)));
        assertEquals(422, client.get("/v1/runs/?statuses=sleeping").status());
        JsonNode failed =
                SseFrames.JSON.readTree(client.get("/v1/runs/" + ids.get(3)).body());
        assertEquals("llm_api_error", failed.get("stop_reason").asText());
        assertEquals(
                "error_message",
                failed.get("metadata").get("error").get("message_type").asText());
        assertTrue(failed.get("metadata").get("error").get("seq_id").isNull());
        assertEquals("2026-03-14T17:00:04.000000Z", failed.get("created_at").asText());
    }

    private List<String> listIds(String path) throws Exception {
        SimClient.Answer answer = client.get(path);
        assertEquals(200, answer.status(), answer.text());
        List<String> ids = new ArrayList<>();
        SseFrames.JSON
                .readTree(answer.body())
                .forEach(run -> ids.add(run.get("id").asText()));
        return ids;
    }
}
