package dev.lsr.sim;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A tiny real HTTP client for the tests (OkHttp), returning whole bodies. */
final class SimClient {

    private static final MediaType JSON = MediaType.get("application/json");
    private static final Pattern RUN_ID = Pattern.compile("\"run_id\":\"(run-[0-9a-f-]+)\"");

    static final OkHttpClient HTTP = new OkHttpClient.Builder()
            .readTimeout(Duration.ofSeconds(60))
            .callTimeout(Duration.ofSeconds(120))
            .build();

    private final String baseUrl;

    SimClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A response's status, content type, {@code Retry-After} and whole body. */
    record Answer(int status, String contentType, String retryAfter, byte[] body) {
        String text() {
            return new String(body, UTF_8);
        }
    }

    Answer post(String path, String json) throws IOException {
        return call(new Request.Builder()
                .url(baseUrl + path)
                .post(RequestBody.create(json, JSON))
                .build());
    }

    Answer get(String path) throws IOException {
        return call(new Request.Builder().url(baseUrl + path).get().build());
    }

    Answer call(Request request) throws IOException {
        try (Response response = HTTP.newCall(request).execute()) {
            return new Answer(
                    response.code(),
                    response.header("Content-Type"),
                    response.header("Retry-After"),
                    response.body().bytes());
        }
    }

    /** The first run id in an SSE body or chunk text. */
    static String runIdOf(byte[] body) {
        Matcher matcher = RUN_ID.matcher(new String(body, UTF_8));
        if (!matcher.find()) {
            throw new AssertionError("no run id in body");
        }
        return matcher.group(1);
    }
}
