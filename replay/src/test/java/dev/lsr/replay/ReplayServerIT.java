package dev.lsr.replay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The replay server against a real broker and real HTTP: byte-identical frames, runs API, errors, live tail. */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayServerIT {

    static final String RUN_05 = "run-4ca67353-d824-444b-81c1-56cf264ca243";
    static final String FOREGROUND = "run-foreground-0000";
    static final String KEY = "s3cret-test-key";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private KafkaBroker broker;
    private String topic;
    private ChunkLogProducer producer;
    private ReplayServer server;

    @BeforeAll
    void start(KafkaBroker kafka) throws Exception {
        this.broker = kafka;
        topic = kafka.uniqueTopic("replay");
        kafka.createTopic(topic, 3);
        producer = new ChunkLogProducer(kafka.bootstrapServers(), topic);
        for (String fixture : List.of(
                "01-simple-reply",
                "02-tool-call-two-steps",
                "03-parallel-approvals",
                "04-error-mid-run",
                "05-long-run-with-pings",
                "06-cancelled-mid-way")) {
            producer.append(FixtureLog.of(fixture)
                    .agent("agent-" + fixture.substring(0, 2))
                    .records());
        }
        producer.append(List.of(foregroundRun()));
        server = ReplayServer.builder()
                .clientProperties(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .topic(topic)
                .port(0)
                .apiKey(KEY)
                .keepalive(Duration.ofMillis(300))
                .start();
        assertTrue(server.awaitIndexed(Duration.ofSeconds(60)), "indexed");
    }

    @AfterAll
    void stop() {
        server.close();
        producer.close();
    }

    @Test
    void aResumeAfter150OfFixture05IsByteForByteFixture07b() throws Exception {
        HttpResponse<byte[]> response = stream(RUN_05, "{\"starting_after\": 150, \"batch_size\": 1000}");

        assertEquals(200, response.statusCode());
        assertEquals(
                "text/event-stream; charset=utf-8",
                response.headers().firstValue("content-type").orElse(""));
        assertEquals(
                new String(LettaFixtures.sseBody("07b-resume-replay-after-150"), UTF_8),
                new String(response.body(), UTF_8));
    }

    @Test
    void everyFixtureFromTheStartIsItsResponseBodyWithoutTheKeepalivePings() throws Exception {
        for (String fixture : List.of(
                "01-simple-reply",
                "02-tool-call-two-steps",
                "03-parallel-approvals",
                "04-error-mid-run",
                "05-long-run-with-pings",
                "06-cancelled-mid-way")) {
            String runId = FixtureLog.originalRunId(fixture);
            HttpResponse<byte[]> response = stream(runId, "{}");
            assertEquals(
                    SseText.withoutKeepalives(new String(LettaFixtures.sseBody(fixture), UTF_8)),
                    new String(response.body(), UTF_8),
                    fixture);
        }
    }

    @Test
    void aCursorOnASeqLessFrameSkipsTheFramesUpToItsNumber() throws Exception {
        // 05: 380 is the last seq; stop_reason took 381, usage 382, [DONE] 383
        String body = new String(stream(RUN_05, "{\"starting_after\": 381}").body(), UTF_8);
        assertTrue(body.startsWith("data: {\"message_type\":\"usage_statistics\""), body);
        assertTrue(body.endsWith("\n\ndata: [DONE]\n\n"), body);
    }

    @Test
    void runsAreListedAndRetrievedAsLettaRunObjects() throws Exception {
        JsonNode run = json(get("/v1/runs/" + RUN_05));
        assertEquals(RUN_05, run.get("id").asText());
        assertEquals("completed", run.get("status").asText());
        assertEquals("end_turn", run.get("stop_reason").asText());
        assertEquals("agent-05", run.get("agent_id").asText());
        assertTrue(run.get("background").asBoolean());
        assertTrue(run.has("completed_at") && run.has("created_at") && run.has("metadata"), run.toString());

        List<String> all = ids(json(get("/v1/runs/?limit=1000")));
        assertTrue(all.contains(RUN_05) && all.contains(FOREGROUND) && all.size() >= 7, all.toString());
        JsonNode failed = json(
                get("/v1/runs/?statuses=failed&statuses=cancelled&order=asc&agent_id=agent-04&agent_ids=agent-06"));
        assertEquals(2, failed.size(), failed.toString());
        JsonNode ofAgent = json(get("/v1/runs?agent_id=agent-04"));
        assertEquals(1, ofAgent.size());
        assertEquals("llm_api_error", ofAgent.get(0).get("stop_reason").asText());
        assertTrue(ofAgent.get(0).get("metadata").has("error"), ofAgent.toString());
        JsonNode foreground = json(get("/v1/runs/?background=false"));
        assertEquals(FOREGROUND, foreground.get(0).get("id").asText());

        List<String> order = ids(json(get("/v1/runs/?background=true")));
        List<String> page1 = ids(json(get("/v1/runs/?background=true&limit=2")));
        List<String> page2 = ids(json(get("/v1/runs/?background=true&limit=2&after=" + page1.get(1))));
        assertEquals(order.subList(0, 4), concat(page1, page2));
        List<String> beforeThird = ids(json(get("/v1/runs/?background=true&before=" + order.get(2))));
        assertEquals(order.subList(0, 2), beforeThird);
    }

    @Test
    void errorsHaveLettasStatusesAndBodies() throws Exception {
        HttpResponse<byte[]> unknown = stream("run-unknown", "{}");
        assertEquals(404, unknown.statusCode());
        assertEquals("Run run-unknown not found", json(unknown).get("detail").asText());

        HttpResponse<byte[]> foreground = stream(FOREGROUND, "{}");
        assertEquals(400, foreground.statusCode());
        assertEquals(
                "Run was not created in background mode, so it cannot be retrieved.",
                json(foreground).get("detail").asText());

        HttpResponse<byte[]> malformed = stream(RUN_05, "{\"starting_after\": ");
        assertEquals(422, malformed.statusCode());
        assertEquals(
                "json_invalid", json(malformed).get("detail").get(0).get("type").asText());
        HttpResponse<byte[]> wrongType = stream(RUN_05, "{\"starting_after\": \"x\"}");
        assertEquals(422, wrongType.statusCode());
        assertEquals(
                "starting_after",
                json(wrongType).get("detail").get(0).get("loc").get(1).asText());

        assertEquals(422, get("/v1/runs/?statuses=bogus").statusCode());
        assertEquals(404, get("/v1/runs/run-unknown").statusCode());

        HttpResponse<byte[]> other = get("/v1/agents/agent-1/messages");
        assertEquals(501, other.statusCode());
        assertTrue(json(other).get("detail").asText().contains("--upstream"));
    }

    @Test
    void withoutTheTokenEveryRouteIs401AndTheKeyIsNotEchoed() throws Exception {
        for (String path : List.of("/v1/runs/", "/v1/runs/" + RUN_05, "/v1/agents/x")) {
            HttpResponse<byte[]> response = http.send(
                    HttpRequest.newBuilder(server.baseUrl().resolve(path))
                            .header("Authorization", "Bearer wrong-" + KEY)
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(401, response.statusCode(), path);
            assertTrue(!new String(response.body(), UTF_8).contains(KEY));
        }
    }

    @Test
    void aRunStillBeingRecordedIsTailedLiveWithPingsUntilItsEnd() throws Exception {
        String runId = "run-live-5c1d7e2a";
        List<ChunkLogRecord> records = FixtureLog.of("01-simple-reply")
                .runId(runId)
                .agent("agent-live")
                .records();
        int half = records.size() / 2;
        producer.append(records.subList(0, half));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> get("/v1/runs/" + runId).statusCode() == 200);

        HttpRequest request = streamRequest(runId, "{}");
        CompletableFuture<HttpResponse<InputStream>> pending =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response = pending.get(30, TimeUnit.SECONDS);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream body = response.body();
        // read until a keepalive ping shows the client is waiting at the live end
        SseText.readUntil(
                body,
                received,
                "\"message_type\":\"ping\",\"otid\":null,\"sender_id\":null,\"step_id\":null,\"is_err\":null,\"seq_id\":"
                        + (half - 1));
        assertEquals(200, json(get("/v1/runs/" + runId)).has("id") ? 200 : 0);
        assertEquals("running", json(get("/v1/runs/" + runId)).get("status").asText());
        producer.append(records.subList(half, records.size()));
        received.write(body.readAllBytes());

        String expected = new String(LettaFixtures.sseBody("01-simple-reply"), UTF_8)
                .replace(FixtureLog.originalRunId("01-simple-reply"), runId);
        assertEquals(expected, SseText.withoutKeepalives(received.toString(UTF_8)));
        assertEquals("completed", json(get("/v1/runs/" + runId)).get("status").asText());
    }

    private HttpResponse<byte[]> stream(String runId, String body) throws IOException, InterruptedException {
        return http.send(streamRequest(runId, body), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest streamRequest(String runId, String body) {
        return HttpRequest.newBuilder(server.baseUrl().resolve("/v1/runs/" + runId + "/stream"))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(server.baseUrl().resolve(path))
                        .header("Authorization", "Bearer " + KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<byte[]> response) throws IOException {
        return MAPPER.readTree(response.body());
    }

    private static List<String> ids(JsonNode runs) {
        List<String> ids = new ArrayList<>();
        runs.forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** A foreground run: the run object the recorder attached with says background false. */
    private static ChunkLogRecord foregroundRun() {
        JsonNode run = MAPPER.createObjectNode()
                .put("id", FOREGROUND)
                .put("status", "running")
                .put("agent_id", "agent-fg")
                .put("background", false);
        return new ChunkLogRecord(
                Envelope.recorderRecord(
                        RecordType.RUN_ATTACHED,
                        FOREGROUND + "/attached/1",
                        FixtureLog.SOURCE,
                        FOREGROUND,
                        Position.START,
                        Instant.parse("2026-03-14T17:00:00Z"),
                        "agent-fg",
                        null),
                new LifecycleEvent.RunAttached("send", 0, run).toJson());
    }
}
