package dev.lsr.recorder.internal.letta;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.Json;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.recorder.Secret;
import dev.lsr.recorder.SendMessage;
import dev.lsr.recorder.internal.sse.SseFrame;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Letta client against a real scripted HTTP server: requests as Letta expects them, errors as values. */
class OkHttpLettaApiTest {

    private static final String KEY = "sk-let-unit-0815";
    private final MockWebServer server = new MockWebServer();
    private final OkHttpClient client =
            new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    private OkHttpLettaApi api;
    private int enqueued;

    @BeforeEach
    void start() throws Exception {
        server.start(InetAddress.getLoopbackAddress(), 0);
        api = new OkHttpLettaApi(client, server.url("/"), Secret.of(KEY), Duration.ofSeconds(5), 1 << 20);
    }

    /** An API on the scripted server, over {@code http}, sending {@code headers} with every request. */
    private OkHttpLettaApi withHeaders(OkHttpClient http, Map<String, String> headers) {
        return new OkHttpLettaApi(http, server.url("/"), Secret.of(KEY), Duration.ofSeconds(5), 1 << 20, headers);
    }

    /** Every response a test scripts goes through here, so the end of the test can check they were all asked for. */
    private void enqueue(MockResponse response) {
        enqueued++;
        server.enqueue(response);
    }

    /** okhttp's assertExhausted: every scripted response was served and no request came that was not scripted. */
    @AfterEach
    void stop() {
        int served = server.getRequestCount();
        server.close();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
        assertEquals(enqueued, served, "requests served vs responses scripted");
    }

    @Test
    void aResumeIsAPostWithTheCursorAndTheKeyOnlyInTheAuthorizationHeader() throws Exception {
        enqueue(new MockResponse.Builder()
                .setHeader("Content-Type", "text/event-stream")
                .body(new String(LettaFixtures.sseBody("01-simple-reply"), UTF_8))
                .build());

        try (SseStream stream = api.streamRun("run-1", 42)) {
            SseFrame first = stream.next();
            assertArrayEquals(
                    LettaFixtures.chunkLines("01-simple-reply").getFirst().getBytes(UTF_8), first.data());
        }

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("POST", request.getMethod());
        assertEquals("/v1/runs/run-1/stream", request.getUrl().encodedPath());
        assertEquals("Bearer " + KEY, request.getHeaders().get("Authorization"));
        JsonNode body = Json.MAPPER.readTree(request.getBody().utf8());
        assertEquals(42, body.get("starting_after").asLong());
        assertEquals(1000, body.get("batch_size").asInt());
        assertTrue(body.get("include_pings").asBoolean());
        assertFalse(request.getUrl().toString().contains(KEY));
    }

    @Test
    void listingAsksForActiveBackgroundRunsWithRepeatedStatuses() throws Exception {
        enqueue(new MockResponse.Builder()
                .body(
                        "[{\"id\":\"run-1\",\"status\":\"running\",\"created_at\":"
                                + "\"2026-03-14T17:24:11.318204\",\"agent_id\":\"agent-1\",\"conversation_id\":null,\"background\":true}]")
                .build());

        List<Run> runs = api.listRuns(RunQuery.activeBackground("agent-1", null));

        assertEquals(1, runs.size());
        assertEquals(
                Instant.parse("2026-03-14T17:24:11.318204Z"), runs.getFirst().createdAt(), "no zone means UTC");
        assertNull(runs.getFirst().conversationId());
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("/v1/runs/", request.getUrl().encodedPath());
        assertEquals(List.of("created", "running"), request.getUrl().queryParameterValues("statuses"));
        assertEquals("agent-1", request.getUrl().queryParameter("agent_id"));
        assertEquals("true", request.getUrl().queryParameter("background"));
    }

    /** The Date header of Letta's answers says how far its clock is from this machine's (the watcher's sweeps). */
    @Test
    void anAnswersDateHeaderGivesLettasClockAgainstThisMachines() throws Exception {
        assertTrue(api.serverClockAhead().isEmpty(), "no answer yet");
        Instant lettaNow = Instant.now().minus(Duration.ofMinutes(5));
        enqueue(new MockResponse.Builder()
                .setHeader("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(lettaNow.atZone(ZoneOffset.UTC)))
                .body("[]")
                .build());

        api.listRuns(RunQuery.activeBackground(null, null));

        Duration ahead = api.serverClockAhead().orElseThrow();
        assertTrue(
                ahead.compareTo(Duration.ofMinutes(-5).minusSeconds(5)) > 0
                        && ahead.compareTo(Duration.ofMinutes(-5).plusSeconds(1)) < 0,
                ahead.toString());

        // a gateway's error page has its own clock: not taken
        enqueue(new MockResponse.Builder()
                .code(502)
                .setHeader(
                        "Date",
                        DateTimeFormatter.RFC_1123_DATE_TIME.format(
                                Instant.now().minus(Duration.ofDays(2)).atZone(ZoneOffset.UTC)))
                .body("bad gateway")
                .build());
        assertThrows(LettaHttpException.class, () -> api.listRuns(RunQuery.activeBackground(null, null)));
        assertEquals(ahead, api.serverClockAhead().orElseThrow());

        // a Date hours away is taken as at most an hour away
        enqueue(new MockResponse.Builder()
                .setHeader(
                        "Date",
                        DateTimeFormatter.RFC_1123_DATE_TIME.format(
                                Instant.now().minus(Duration.ofHours(6)).atZone(ZoneOffset.UTC)))
                .body("[]")
                .build());
        api.listRuns(RunQuery.activeBackground(null, null));
        assertEquals(Duration.ofHours(-1), api.serverClockAhead().orElseThrow());
    }

    @Test
    void aBusyConversationNamesItsRunAndAThrottleItsRetryAfter() {
        enqueue(new MockResponse.Builder()
                .code(409)
                .body("{\"detail\":\"Another request (run_id=run-9) is being processed\"," + "\"run_id\":\"run-9\"}")
                .build());
        enqueue(new MockResponse.Builder()
                .code(429)
                .setHeader("Retry-After", "7")
                .body("{\"detail\":\"slow down\"}")
                .build());

        LettaHttpException busy =
                assertThrows(LettaHttpException.class, () -> api.send(SendMessage.toConversation("conv-1", "hi")));
        assertEquals(409, busy.status());
        assertEquals("run-9", busy.runId().orElseThrow());
        LettaHttpException throttled = assertThrows(LettaHttpException.class, () -> api.streamRun("run-1", 0));
        assertEquals(Duration.ofSeconds(7), throttled.retryAfter().orElseThrow());
        assertEquals("POST /v1/runs/run-1/stream -> HTTP 429: slow down", throttled.getMessage());
        assertFalse(throttled.getMessage().contains(KEY));
    }

    @Test
    void aSendIsABackgroundStreamWithOurOtid() throws Exception {
        enqueue(sse("data: [DONE]\n\n"));
        SendMessage message = new SendMessage("agent-1", "default", "hello", "otid-77");

        try (SseStream stream = api.send(message)) {
            assertTrue(stream.next().isDone());
        }

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("/v1/conversations/default/messages", request.getUrl().encodedPath());
        JsonNode body = Json.MAPPER.readTree(request.getBody().utf8());
        assertEquals("otid-77", body.at("/messages/0/otid").asText());
        assertEquals("hello", body.at("/messages/0/content").asText());
        assertEquals("agent-1", body.get("agent_id").asText());
        assertTrue(body.get("background").asBoolean());
        assertTrue(body.get("stream_tokens").asBoolean());
    }

    @Test
    void aServerThatEchoesTheKeyDoesNotPutItIntoTheError() {
        enqueue(new MockResponse.Builder()
                .code(401)
                .body("{\"detail\":\"invalid key " + KEY + "\"}")
                .build());
        LettaHttpException error = assertThrows(LettaHttpException.class, () -> api.getRun("run-1"));
        assertFalse(error.getMessage().contains(KEY), error.getMessage());
        assertEquals("invalid key [redacted]", error.detail());
    }

    /**
     * A key echoed by a server never reaches an error, wherever it stands in the quoted start of a body (one that
     * crosses the quoting limit too: redacting after cutting left its start), and the values of the configured
     * secret-looking headers are redacted like the API key.
     */
    @Test
    void noEchoedSecretReachesAnErrorWhereverItStands() {
        OkHttpLettaApi withHeaders = withHeaders(client, Map.of("X-BARE-PASSWORD", "pw-s3cret-value"));
        enqueue(new MockResponse.Builder()
                .setHeader("Content-Type", "text/html")
                .body("<html>" + "x".repeat(108) + KEY + "</html>")
                .build());
        enqueue(new MockResponse.Builder()
                .code(401)
                .body("{\"detail\":\"bad password pw-s3cret-value\"}")
                .build());

        IOException html = assertThrows(IOException.class, () -> withHeaders.getRun("run-1"));
        LettaHttpException refused = assertThrows(LettaHttpException.class, () -> withHeaders.getRun("run-1"));

        assertFalse(html.getMessage().contains(KEY.substring(0, 6)), html.getMessage());
        assertFalse(refused.getMessage().contains("s3cret"), refused.getMessage());
    }

    /** A listing answered with JSON that is no list (a proxy echoing the request): quoted, the key left out. */
    @Test
    void aListingThatIsNoListIsQuotedWithoutAnEchoedKey() {
        enqueue(new MockResponse.Builder()
                .setHeader("Content-Type", "application/json")
                .body("{\"headers\":{\"Authorization\":\"Bearer " + KEY + "\"}}")
                .build());

        IOException error = assertThrows(IOException.class, () -> api.checkServer());

        assertTrue(error.getMessage().contains("not a list of runs"), error.getMessage());
        assertFalse(error.getMessage().contains(KEY.substring(0, 6)), error.getMessage());
    }

    /** A secret header value with a quote in it, echoed in JSON (where the quote is escaped): redacted too. */
    @Test
    void anEchoedSecretWithAQuoteIsRedactedInItsJsonForm() {
        OkHttpLettaApi withHeaders = withHeaders(client, Map.of("X-Session-Token", "ab\"cd-s3cret"));
        enqueue(new MockResponse.Builder()
                .setHeader("Content-Type", "application/json")
                .body("{\"echo\":\"ab\\\"cd-s3cret\"}")
                .build());

        IOException error = assertThrows(IOException.class, () -> withHeaders.checkServer());

        assertFalse(error.getMessage().contains("s3cret"), error.getMessage());
    }

    @Test
    void aNonJsonErrorBodyStillGivesTheStatus() {
        enqueue(new MockResponse.Builder().code(500).body("<html>oops</html>").build());
        LettaHttpException error = assertThrows(LettaHttpException.class, () -> api.getRun("run-1"));
        assertEquals(500, error.status());
        assertNull(error.detail());
    }

    @Test
    void aStreamWhoseContentTypeIsNotAnEventStreamIsAnErrorQuotingItsFirstBytes() {
        enqueue(new MockResponse.Builder()
                .setHeader("Content-Type", "text/html")
                .body("<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head></html>")
                .build());

        IOException error =
                assertThrows(IOException.class, () -> api.streamRun("run-1", 0).next());

        assertEquals(
                "POST /v1/runs/run-1/stream -> HTTP 200 with Content-Type text/html, not text/event-stream: "
                        + "\"<!DOCTYPE html> <html><head><title>502 Bad Gateway</title></head></html>\"",
                error.getMessage());
    }

    /**
     * A 200 whose JSON is not a Run object ({@code {}}, {@code null}, a list): an answer of the wrong kind, as a
     * proxy's page is, so the session treats it as "the run's state is not known" and goes on; before, the parse's
     * IllegalArgumentException ended the session as FAILED, without a terminal record, after a finished stream.
     */
    @Test
    void aRunGetAnsweredWithJsonThatIsNotARunIsUnexpectedContent() {
        for (String body : List.of("{}", "null", "[]")) {
            enqueue(new MockResponse.Builder()
                    .setHeader("Content-Type", "application/json")
                    .body(body)
                    .build());

            UnexpectedContentException error =
                    assertThrows(UnexpectedContentException.class, () -> api.getRun("run-1"), body);

            assertTrue(error.getMessage().startsWith("GET /v1/runs/run-1 -> "), error.getMessage());
        }
    }

    /**
     * A listing answered 200 with JSON that is no list of runs ({@code {}}, {@code {"detail": ...}}, {@code null}):
     * read as "no runs", it let the watcher's sweep move its window on past runs it never saw.
     */
    @Test
    void aListingAnsweredWithJsonThatIsNoListOfRunsIsUnexpectedContent() throws Exception {
        for (String body : List.of("{}", "{\"detail\":\"maintenance\"}", "null", "{\"items\":null}")) {
            enqueue(new MockResponse.Builder()
                    .setHeader("Content-Type", "application/json")
                    .body(body)
                    .build());

            assertThrows(
                    UnexpectedContentException.class,
                    () -> api.listRuns(RunQuery.activeBackground("agent-1", null)),
                    body);
        }
        enqueue(new MockResponse.Builder()
                .setHeader("Content-Type", "application/json")
                .body("{\"items\":[]}")
                .build());
        assertEquals(List.of(), api.listRuns(RunQuery.activeBackground("agent-1", null)), "a page of items");
    }

    @Test
    void errorBodiesInEveryShapeCarryTheServersWords() throws Exception {
        enqueue(new MockResponse.Builder()
                .code(503)
                .setHeader("Retry-After", "2")
                .body(
                        "{\"error\":\"Service "
                                + "temporarily unavailable\",\"errorCode\":\"cloud_api_shutting_down\",\"admitted\":false,\"retryable\":true}")
                .build());
        enqueue(new MockResponse.Builder()
                .code(401)
                .body("{\"error\":{\"type\":\"authentication_error\",\"message\":\"Invalid API key\"}}")
                .build());
        enqueue(new MockResponse.Builder()
                .code(404)
                .body("{\"message\":\"Agent not found\"}")
                .build());

        LettaHttpException refused =
                assertThrows(LettaHttpException.class, () -> api.send(SendMessage.toConversation("conv-1", "hi")));
        LettaHttpException unauthorized = assertThrows(LettaHttpException.class, () -> api.getRun("run-1"));
        LettaHttpException missing = assertThrows(LettaHttpException.class, () -> api.getRun("run-2"));

        assertEquals(
                "POST /v1/conversations/conv-1/messages -> HTTP 503: Service temporarily unavailable (cloud_api_shutting_down)",
                refused.getMessage());
        assertTrue(refused.notAdmittedRetryable());
        assertEquals(Duration.ofSeconds(2), refused.retryAfter().orElseThrow());
        assertEquals("Invalid API key", unauthorized.detail());
        assertFalse(unauthorized.notAdmittedRetryable());
        assertEquals("Agent not found", missing.detail());
    }

    /** An HTTP-date is the server's: measured from its own {@code Date}, so a clock skew changes nothing. */
    @Test
    void aRetryAfterDateIsMeasuredFromTheServersDate() {
        ZonedDateTime serverNow = ZonedDateTime.now(ZoneOffset.UTC).minusHours(2);
        enqueue(new MockResponse.Builder()
                .code(503)
                .setHeader("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(serverNow))
                .setHeader("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.format(serverNow.plusSeconds(30)))
                .body("{}")
                .build());

        Duration retryAfter = assertThrows(LettaHttpException.class, () -> api.getRun("run-1"))
                .retryAfter()
                .orElseThrow();

        assertEquals(Duration.ofSeconds(30), retryAfter, "the server's clock runs 2 hours behind ours");
    }

    @Test
    void aRetryAfterMayBeAnHttpDate() {
        String inAnHour = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusHours(1));
        enqueue(new MockResponse.Builder()
                .code(429)
                .setHeader("Retry-After", inAnHour)
                .body("{}")
                .build());

        Duration retryAfter = assertThrows(LettaHttpException.class, () -> api.getRun("run-1"))
                .retryAfter()
                .orElseThrow();

        assertTrue(
                retryAfter.compareTo(Duration.ofMinutes(55)) > 0 && retryAfter.compareTo(Duration.ofHours(1)) <= 0,
                retryAfter.toString());
    }

    @Test
    void anAgentsMessageGoesToItsDefaultConversation() throws Exception {
        enqueue(sse("data: [DONE]\n\n"));

        try (SseStream stream = api.send(new SendMessage("agent-1", null, "hello", "otid-78"))) {
            assertTrue(stream.next().isDone());
        }

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("/v1/conversations/default/messages", request.getUrl().encodedPath());
        JsonNode body = Json.MAPPER.readTree(request.getBody().utf8());
        assertEquals("agent-1", body.get("agent_id").asText());
        assertEquals("otid-78", body.at("/messages/0/otid").asText());
    }

    @Test
    void aServerWithoutTheConversationsRouteGetsTheDeprecatedAgentRouteFromThenOn() throws Exception {
        enqueue(new MockResponse.Builder()
                .code(404)
                .body("{\"detail\":\"Not Found\"}")
                .build());
        enqueue(sse("data: [DONE]\n\n"));
        enqueue(sse("data: [DONE]\n\n"));

        for (String otid : List.of("otid-1", "otid-2")) {
            try (SseStream stream = api.send(new SendMessage("agent-1", null, "hello", otid))) {
                assertTrue(stream.next().isDone());
            }
        }

        assertEquals(
                "/v1/conversations/default/messages",
                server.takeRequest(5, TimeUnit.SECONDS).getUrl().encodedPath());
        RecordedRequest fallback = server.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("/v1/agents/agent-1/messages/stream", fallback.getUrl().encodedPath());
        assertEquals(
                "otid-1",
                Json.MAPPER
                        .readTree(fallback.getBody().utf8())
                        .at("/messages/0/otid")
                        .asText());
        assertEquals(
                "/v1/agents/agent-1/messages/stream",
                server.takeRequest(5, TimeUnit.SECONDS).getUrl().encodedPath());
    }

    /**
     * Letta's 404 for an agent it does not know is an answer of the current route, not its absence: the next agent's
     * send must not move to the deprecated route (no lock, no otid dedupe) for the rest of the process.
     */
    @Test
    void anUnknownAgentDoesNotMoveLaterSendsToTheDeprecatedRoute() throws Exception {
        enqueue(new MockResponse.Builder()
                .code(404)
                .body("{\"detail\":\"Agent agent-gone not found\"}")
                .build());
        enqueue(sse("data: [DONE]\n\n"));

        LettaHttpException refused = assertThrows(
                LettaHttpException.class, () -> api.send(new SendMessage("agent-gone", null, "hello", "otid-1")));
        assertEquals(404, refused.status());
        try (SseStream stream = api.send(new SendMessage("agent-1", null, "hello", "otid-2"))) {
            assertTrue(stream.next().isDone());
        }

        assertEquals(
                "/v1/conversations/default/messages",
                server.takeRequest(5, TimeUnit.SECONDS).getUrl().encodedPath());
        assertEquals(
                "/v1/conversations/default/messages",
                server.takeRequest(5, TimeUnit.SECONDS).getUrl().encodedPath(),
                "the next agent's send still goes to the current route");
    }

    /** A fallback the server refuses too decides nothing: the current route is tried again next time. */
    @Test
    void aRefusedFallbackDoesNotMoveLaterSendsToTheDeprecatedRoute() throws Exception {
        enqueue(new MockResponse.Builder()
                .code(405)
                .body("{\"detail\":\"Method Not Allowed\"}")
                .build());
        enqueue(new MockResponse.Builder()
                .code(503)
                .body("{\"detail\":\"unavailable\"}")
                .build());
        enqueue(sse("data: [DONE]\n\n"));

        assertThrows(LettaHttpException.class, () -> api.send(new SendMessage("agent-1", null, "hello", "otid-1")));
        try (SseStream stream = api.send(new SendMessage("agent-1", null, "hello", "otid-2"))) {
            assertTrue(stream.next().isDone());
        }

        server.takeRequest(5, TimeUnit.SECONDS);
        assertEquals(
                "/v1/agents/agent-1/messages/stream",
                server.takeRequest(5, TimeUnit.SECONDS).getUrl().encodedPath());
        assertEquals(
                "/v1/conversations/default/messages",
                server.takeRequest(5, TimeUnit.SECONDS).getUrl().encodedPath());
    }

    @Test
    void aConversationThatDoesNotExistIsNotSentElsewhere() throws Exception {
        enqueue(new MockResponse.Builder()
                .code(404)
                .body("{\"detail\":\"Conversation not found\"}")
                .build());

        assertEquals(
                404,
                assertThrows(LettaHttpException.class, () -> api.send(SendMessage.toConversation("conv-x", "hi")))
                        .status());
        assertEquals(1, server.getRequestCount());
    }

    /**
     * A redirect is not followed: OkHttp drops only {@code Authorization} when a redirect leaves the host, so the
     * configured Letta headers ({@code X-BARE-PASSWORD}, an {@code X-Api-Key}) would go to wherever a proxy or a
     * misconfigured server points, https or not. Letta's API does not redirect; a 3xx is an error naming it.
     */
    @Test
    void aRedirectIsNotFollowedSoTheLettaHeadersNeverLeaveForAnotherHost() throws Exception {
        try (MockWebServer other = new MockWebServer()) {
            other.start(InetAddress.getLoopbackAddress(), 0);
            other.enqueue(new MockResponse.Builder()
                    .setHeader("Content-Type", "application/json")
                    .body("{\"id\":\"run-1\",\"status\":\"completed\"}")
                    .build());
            OkHttpLettaApi recorderClient =
                    withHeaders(LettaHttpClient.create(Duration.ofSeconds(5)), Map.of("X-BARE-PASSWORD", "pw-s3cret"));
            enqueue(new MockResponse.Builder()
                    .code(307)
                    .setHeader("Location", other.url("/v1/runs/run-1").toString())
                    .build());

            LettaHttpException error = assertThrows(LettaHttpException.class, () -> recorderClient.getRun("run-1"));

            assertEquals(307, error.status());
            assertEquals(0, other.getRequestCount(), "nothing was sent to the other host");
        }
    }

    @Test
    void theConfiguredHeadersGoOnEveryRequest() throws Exception {
        OkHttpLettaApi withHeaders = withHeaders(client, Map.of("X-Project-Id", "proj-1", "user_id", "user-7"));
        enqueue(new MockResponse.Builder()
                .setHeader("Content-Type", "application/json")
                .body("[]")
                .build());
        enqueue(sse("data: [DONE]\n\n"));

        withHeaders.checkServer();
        withHeaders.streamRun("run-1", 0).close();

        for (int i = 0; i < 2; i++) {
            RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
            assertEquals("proj-1", request.getHeaders().get("X-Project-Id"));
            assertEquals("user-7", request.getHeaders().get("user_id"));
            assertEquals("Bearer " + KEY, request.getHeaders().get("Authorization"));
        }
    }

    private static MockResponse sse(String body) {
        return new MockResponse.Builder()
                .setHeader("Content-Type", "text/event-stream; charset=utf-8")
                .body(body)
                .build();
    }
}
