package dev.lsr.sim;

import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/** An open SSE response read frame by frame, for tests of live behaviour (pings, cancel, faults). */
final class LiveStream implements AutoCloseable {

    private final Response response;
    private final BufferedSource source;

    private LiveStream(Response response) {
        this.response = response;
        this.source = response.body().source();
    }

    static LiveStream open(String url, String json, Duration readTimeout) throws IOException {
        OkHttpClient client = SimClient.HTTP
                .newBuilder()
                .readTimeout(readTimeout)
                .callTimeout(Duration.ZERO)
                .build();
        Request request = new Request.Builder()
                .url(url)
                .post(RequestBody.create(json, MediaType.get("application/json")))
                .build();
        return new LiveStream(client.newCall(request).execute());
    }

    int status() {
        return response.code();
    }

    /** The next frame, or null at a clean end of the body. */
    SseFrames.Frame next() throws IOException {
        StringBuilder block = new StringBuilder();
        while (true) {
            String line = source.readUtf8Line();
            if (line == null) {
                return block.isEmpty()
                        ? null
                        : SseFrames.parse(block.toString()).getFirst();
            }
            if (line.isEmpty()) {
                if (!block.isEmpty()) {
                    return SseFrames.parse(block.toString()).getFirst();
                }
                continue;
            }
            block.append(line).append('\n');
        }
    }

    @Override
    public void close() {
        response.close();
    }
}
