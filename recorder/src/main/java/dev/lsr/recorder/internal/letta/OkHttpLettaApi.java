package dev.lsr.recorder.internal.letta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.Json;
import dev.lsr.recorder.LettaHeaders;
import dev.lsr.recorder.Secret;
import dev.lsr.recorder.SendMessage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LettaApi} over OkHttp. The API key goes only into the {@code Authorization} header, the
 * configured extra headers ({@code X-Project-Id}, {@code user_id}, ...) onto every request; error
 * messages name the method, the path and the server's words, nothing else. A response of the wrong
 * Content-Type (another than JSON where JSON is expected; anything but {@code text/event-stream} for a
 * stream, as Letta Code checks) is an {@link UnexpectedContentException} quoting its first bytes,
 * never parsed.
 */
public final class OkHttpLettaApi implements LettaApi {

    private static final MediaType JSON = MediaType.get("application/json");
    private static final int BATCH_SIZE = 1000;
    private static final String USER_AGENT = "lsr-recorder/0.1";
    private static final String EVENT_STREAM = "text/event-stream";
    private static final Logger log = LoggerFactory.getLogger(OkHttpLettaApi.class);

    private final Call.Factory calls;
    private final HttpUrl baseUrl;
    private final Secret apiKey;
    private final Duration requestTimeout;
    private final int maxFrameBytes;
    private final Map<String, String> headers;
    private final ServerClock serverClock = new ServerClock(Clock.systemUTC());
    /** Set once the server turned out to lack the conversations send route (an older server). */
    private volatile boolean legacyAgentSends;

    /**
     * @param calls          makes the calls (an {@code OkHttpClient}); stream calls get no call timeout
     * @param baseUrl        the server, e.g. {@code http://127.0.0.1:8283}
     * @param apiKey         sent as a bearer token, or null for a server without auth
     * @param requestTimeout the whole-call timeout of the non-streaming calls
     * @param maxFrameBytes  the largest SSE payload kept whole
     */
    public OkHttpLettaApi(
            Call.Factory calls, HttpUrl baseUrl, Secret apiKey, Duration requestTimeout, int maxFrameBytes) {
        this(calls, baseUrl, apiKey, requestTimeout, maxFrameBytes, Map.of());
    }

    /**
     * @param headers extra headers sent with every request (Cloud's {@code X-Project-Id}, a multi-user
     *                server's {@code user_id}, ...)
     */
    public OkHttpLettaApi(
            Call.Factory calls,
            HttpUrl baseUrl,
            Secret apiKey,
            Duration requestTimeout,
            int maxFrameBytes,
            Map<String, String> headers) {
        this.headers = Map.copyOf(headers);
        this.calls = Objects.requireNonNull(calls, "calls");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.apiKey = apiKey;
        this.requestTimeout = requestTimeout;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public Optional<Duration> serverClockAhead() {
        return serverClock.ahead();
    }

    @Override
    public Run getRun(String runId) throws IOException {
        String what = "GET /v1/runs/" + runId;
        return run(getJson(url("v1", "runs", runId).build(), what), what);
    }

    @Override
    public List<Run> listRuns(RunQuery query) throws IOException {
        HttpUrl.Builder url = url("v1", "runs", "");
        query.statuses().forEach(status -> url.addQueryParameter("statuses", status));
        addIfPresent(url, "agent_id", query.agentId());
        addIfPresent(url, "conversation_id", query.conversationId());
        addIfPresent(
                url,
                "background",
                query.background() == null ? null : query.background().toString());
        url.addQueryParameter("order", "desc").addQueryParameter("limit", Integer.toString(query.limit()));
        addIfPresent(url, "after", query.after());
        JsonNode items = runsIn(getJson(url.build(), "GET /v1/runs/"), "GET /v1/runs/");
        List<Run> runs = new ArrayList<>();
        for (JsonNode item : items) {
            runs.add(run(item, "GET /v1/runs/"));
        }
        return runs;
    }

    /** {@code json} as a Run object, or an answer of the wrong kind (JSON with no run id: {@code {}}, {@code null}). */
    private static Run run(JsonNode json, String what) throws UnexpectedContentException {
        try {
            return Run.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new UnexpectedContentException(what + " -> JSON that is not a Run object (" + e.getMessage() + ")");
        }
    }

    @Override
    public SseStream streamRun(String runId, long startingAfter) throws IOException {
        ObjectNode body = Json.MAPPER
                .createObjectNode()
                .put("starting_after", startingAfter)
                .put("batch_size", BATCH_SIZE)
                .put("include_pings", true);
        return openStream(url("v1", "runs", runId, "stream").build(), body, "POST /v1/runs/" + runId + "/stream");
    }

    @Override
    public SseStream streamByOtid(SendMessage message) throws IOException {
        String conversation = message.conversationId() != null ? message.conversationId() : "default";
        ObjectNode body = Json.MAPPER
                .createObjectNode()
                .put("otid", message.otid())
                .put("starting_after", 0)
                .put("batch_size", BATCH_SIZE)
                .put("include_pings", true);
        if (message.agentId() != null && "default".equals(conversation)) {
            body.put("agent_id", message.agentId());
        }
        return openStream(
                url("v1", "conversations", conversation, "stream").build(),
                body,
                "POST /v1/conversations/" + conversation + "/stream");
    }

    @Override
    public void checkServer() throws IOException {
        String what = "GET /v1/runs/?limit=1";
        runsIn(getJson(url("v1", "runs", "").addQueryParameter("limit", "1").build(), what), what);
    }

    /**
     * The runs of a listing: a bare array (Letta's answer), or a page's {@code items}. Anything else is no answer
     * at all: read as "no runs", it would let the watcher's sweep move on past runs it never saw.
     */
    private JsonNode runsIn(JsonNode body, String what) throws UnexpectedContentException {
        JsonNode items = body.isArray() ? body : body.path("items");
        if (!items.isArray()) {
            throw new UnexpectedContentException(what + " -> JSON that is not a list of runs: \""
                    + HttpErrors.quote(body.toString(), secrets()) + "\"");
        }
        return items;
    }

    /**
     * A conversation's send goes to its route; an agent's to {@code /v1/conversations/default/messages}
     * with {@code agent_id} (the current route: agent lock, 409 "busy", otid dedupe). A server without
     * that route ({@link #isMissingRoute}: the message was not taken) gets the deprecated
     * {@code /v1/agents/{id}/messages/stream}, from then on once that route took a message.
     */
    @Override
    public SseStream send(SendMessage message) throws IOException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode input = body.putArray("messages").addObject();
        input.put("type", "message")
                .put("role", "user")
                .put("content", message.text())
                .put("otid", message.otid());
        body.put("streaming", true)
                .put("stream_tokens", true)
                .put("include_pings", true)
                .put("background", true);
        if (message.conversationId() == null && legacyAgentSends) {
            return sendToAgentRoute(message, body);
        }
        String conversation = message.conversationId() != null ? message.conversationId() : "default";
        ObjectNode conversationBody = body.deepCopy();
        if ("default".equals(conversation)) {
            conversationBody.put("agent_id", message.agentId());
        }
        try {
            return openStream(
                    url("v1", "conversations", conversation, "messages").build(),
                    conversationBody,
                    "POST /v1/conversations/" + conversation + "/messages");
        } catch (LettaHttpException e) {
            if (message.conversationId() != null || !isMissingRoute(e)) {
                throw e;
            }
            SseStream stream = sendToAgentRoute(message, body);
            log.warn(
                    "This Letta server has no POST /v1/conversations/default/messages ({}); sending to agents with the"
                            + " deprecated POST /v1/agents/{id}/messages/stream (no lock, no otid dedupe)",
                    e.getMessage());
            legacyAgentSends = true;
            return stream;
        }
    }

    /**
     * The server has no such route: 405, or FastAPI's 404 for a path it does not serve ({@code "Not Found"}). Letta's
     * 404 for an agent it does not know names the agent: an answer of the route, which stays.
     */
    private static boolean isMissingRoute(LettaHttpException e) {
        return e.status() == 405 || (e.status() == 404 && "Not Found".equals(e.detail()));
    }

    private SseStream sendToAgentRoute(SendMessage message, ObjectNode body) throws IOException {
        return openStream(
                url("v1", "agents", message.agentId(), "messages", "stream").build(),
                body,
                "POST /v1/agents/" + message.agentId() + "/messages/stream");
    }

    private JsonNode getJson(HttpUrl url, String what) throws IOException {
        Call call = calls.newCall(
                request(url).header("Accept", "application/json").get().build());
        call.timeout().timeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        try (Response response = execute(call)) {
            ResponseBody body = response.body();
            if (!response.isSuccessful()) {
                throw HttpErrors.from(what, response, secrets());
            }
            // Letta's clock, from its successful answers only (a gateway's error page has its own)
            serverClock.observe(response.headers().getInstant("Date"));
            if (body.contentType() != null && !isJson(body.contentType())) {
                // e.g. a web server's or a proxy's HTML page: say so instead of a JSON parse error
                throw HttpErrors.unexpectedContent(what, response, "application/json", secrets());
            }
            return Json.MAPPER.readTree(body.byteStream());
        }
    }

    private SseStream openStream(HttpUrl url, ObjectNode body, String what) throws IOException {
        Request request = request(url)
                .header("Accept", "text/event-stream")
                .post(RequestBody.create(Json.MAPPER.writeValueAsBytes(body), JSON))
                .build();
        Call call = calls.newCall(request);
        Response response = execute(call);
        if (!response.isSuccessful()) {
            try (response) {
                throw HttpErrors.from(what, response, secrets());
            }
        }
        if (!isEventStream(response.body().contentType())) {
            // a proxy's or web server's page must not be parsed as SSE
            try (response) {
                throw HttpErrors.unexpectedContent(what, response, EVENT_STREAM, secrets());
            }
        }
        return new OkHttpSseStream(call, response, maxFrameBytes);
    }

    /**
     * {@code call.execute()}, its interrupt always an IOException. OkHttp 5's fast-fallback connect waits on a {@code
     * BlockingQueue} and throws an interrupt of the calling thread as a bare {@link InterruptedException}, undeclared
     * (Kotlin): it would escape every {@code catch (IOException | RuntimeException)} of the callers and kill their
     * thread. Here it becomes what okio throws for an interrupt everywhere else, {@code
     * InterruptedIOException("interrupted")} ({@link OutageTrackingLettaApi#endedByInterrupt}), with the thread's
     * interrupt flag set again. The one place for it: every call of Letta goes through here.
     */
    private static Response execute(Call call) throws IOException {
        try {
            return call.execute();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                InterruptedIOException interrupted = new InterruptedIOException("interrupted");
                interrupted.initCause(e);
                throw interrupted;
            }
            throw e;
        }
    }

    private Request.Builder request(HttpUrl url) {
        Request.Builder request = new Request.Builder().url(url).header("User-Agent", USER_AGENT);
        headers.forEach(request::header);
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey.reveal());
        }
        return request;
    }

    /** What an error must never quote: the API key, and the values of the secret-looking extra headers. */
    private List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        if (apiKey != null) {
            secrets.add(apiKey.reveal());
        }
        headers.forEach((name, value) -> {
            if (LettaHeaders.looksSecret(name)) {
                secrets.add(value);
            }
        });
        return secrets;
    }

    private static boolean isJson(MediaType type) {
        return type != null && (type.subtype().equals("json") || type.subtype().endsWith("+json"));
    }

    private static boolean isEventStream(MediaType type) {
        return type != null && type.type().equals("text") && type.subtype().equals("event-stream");
    }

    private HttpUrl.Builder url(String... segments) {
        HttpUrl.Builder url = baseUrl.newBuilder();
        for (String segment : segments) {
            url.addPathSegment(segment);
        }
        return url;
    }

    private static void addIfPresent(HttpUrl.Builder url, String name, String value) {
        if (value != null) {
            url.addQueryParameter(name, value);
        }
    }
}
