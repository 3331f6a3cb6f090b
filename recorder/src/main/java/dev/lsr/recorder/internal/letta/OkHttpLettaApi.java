package dev.lsr.recorder.internal.letta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.Json;
import dev.lsr.recorder.Secret;
import dev.lsr.recorder.SendMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * {@link LettaApi} over OkHttp. The API key goes only into the {@code Authorization} header; error
 * messages name the method, the path and the server's detail, nothing else.
 */
public final class OkHttpLettaApi implements LettaApi {

    private static final MediaType JSON = MediaType.get("application/json");
    private static final int BATCH_SIZE = 1000;
    private static final String USER_AGENT = "lsr-recorder/0.1";

    private final Call.Factory calls;
    private final HttpUrl baseUrl;
    private final Secret apiKey;
    private final Duration requestTimeout;
    private final int maxFrameBytes;

    /**
     * @param calls          makes the calls (an {@code OkHttpClient}); stream calls get no call timeout
     * @param baseUrl        the server, e.g. {@code http://127.0.0.1:8283}
     * @param apiKey         sent as a bearer token, or null for a server without auth
     * @param requestTimeout the whole-call timeout of the non-streaming calls
     * @param maxFrameBytes  the largest SSE payload kept whole
     */
    public OkHttpLettaApi(Call.Factory calls, HttpUrl baseUrl, Secret apiKey, Duration requestTimeout, int maxFrameBytes) {
        this.calls = Objects.requireNonNull(calls, "calls");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.apiKey = apiKey;
        this.requestTimeout = requestTimeout;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public Run getRun(String runId) throws IOException {
        return Run.fromJson(getJson(url("v1", "runs", runId).build(), "GET /v1/runs/" + runId));
    }

    @Override
    public List<Run> listRuns(RunQuery query) throws IOException {
        HttpUrl.Builder url = url("v1", "runs", "");
        query.statuses().forEach(status -> url.addQueryParameter("statuses", status));
        addIfPresent(url, "agent_id", query.agentId());
        addIfPresent(url, "conversation_id", query.conversationId());
        addIfPresent(url, "background", query.background() == null ? null : query.background().toString());
        url.addQueryParameter("order", "desc").addQueryParameter("limit", Integer.toString(query.limit()));
        addIfPresent(url, "after", query.after());
        JsonNode body = getJson(url.build(), "GET /v1/runs/");
        JsonNode items = body.isArray() ? body : body.path("items");
        List<Run> runs = new ArrayList<>();
        for (JsonNode item : items) {
            runs.add(Run.fromJson(item));
        }
        return runs;
    }

    @Override
    public SseStream streamRun(String runId, long startingAfter) throws IOException {
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("starting_after", startingAfter).put("batch_size", BATCH_SIZE).put("include_pings", true);
        return openStream(url("v1", "runs", runId, "stream").build(), body, "POST /v1/runs/" + runId + "/stream");
    }

    @Override
    public SseStream streamByOtid(SendMessage message) throws IOException {
        String conversation = message.conversationId() != null ? message.conversationId() : "default";
        ObjectNode body = Json.MAPPER.createObjectNode().put("otid", message.otid()).put("starting_after", 0)
                .put("batch_size", BATCH_SIZE).put("include_pings", true);
        if (message.agentId() != null && "default".equals(conversation)) {
            body.put("agent_id", message.agentId());
        }
        return openStream(url("v1", "conversations", conversation, "stream").build(), body,
                "POST /v1/conversations/" + conversation + "/stream");
    }

    @Override
    public SseStream send(SendMessage message) throws IOException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode input = body.putArray("messages").addObject();
        input.put("type", "message").put("role", "user").put("content", message.text()).put("otid", message.otid());
        body.put("streaming", true).put("stream_tokens", true).put("include_pings", true).put("background", true);
        if (message.conversationId() != null) {
            if ("default".equals(message.conversationId())) {
                body.put("agent_id", message.agentId());
            }
            return openStream(url("v1", "conversations", message.conversationId(), "messages").build(), body,
                    "POST /v1/conversations/" + message.conversationId() + "/messages");
        }
        return openStream(url("v1", "agents", message.agentId(), "messages", "stream").build(), body,
                "POST /v1/agents/" + message.agentId() + "/messages/stream");
    }

    private JsonNode getJson(HttpUrl url, String what) throws IOException {
        Call call = calls.newCall(request(url).header("Accept", "application/json").get().build());
        call.timeout().timeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        try (Response response = call.execute()) {
            ResponseBody body = response.body();
            if (!response.isSuccessful()) {
                throw HttpErrors.from(what, response, apiKey == null ? null : apiKey.reveal());
            }
            return Json.MAPPER.readTree(body.byteStream());
        }
    }

    private SseStream openStream(HttpUrl url, ObjectNode body, String what) throws IOException {
        Request request = request(url).header("Accept", "text/event-stream")
                .post(RequestBody.create(Json.MAPPER.writeValueAsBytes(body), JSON)).build();
        Call call = calls.newCall(request);
        Response response = call.execute();
        if (!response.isSuccessful()) {
            try (response) {
                throw HttpErrors.from(what, response, apiKey == null ? null : apiKey.reveal());
            }
        }
        return new OkHttpSseStream(call, response, maxFrameBytes);
    }

    private Request.Builder request(HttpUrl url) {
        Request.Builder request = new Request.Builder().url(url).header("User-Agent", USER_AGENT);
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey.reveal());
        }
        return request;
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
