package dev.lsr.recorder.testing;

import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.recorder.internal.sse.SseFrameReader;
import dev.lsr.sim.LettaSim;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Starts background runs on letta-sim over its real HTTP API, as a Letta client would: the test decides
 * when a run exists instead of a workload's clock.
 */
public final class SimSends {

    private static final OkHttpClient HTTP = new OkHttpClient();
    private static final MediaType JSON = MediaType.get("application/json");

    private SimSends() {}

    /**
     * Sends {@code text} to {@code agentId} in background mode and returns the new run's id (from its
     * first frame); the connection is closed at once, the run goes on storing its frames.
     */
    public static String startBackgroundRun(LettaSim sim, String agentId, String text) throws IOException {
        String body = "{\"messages\":[{\"type\":\"message\",\"role\":\"user\",\"content\":\"" + text + "\"}],"
                + "\"streaming\":true,\"stream_tokens\":true,\"include_pings\":true,\"background\":true}";
        Request request = new Request.Builder()
                .url(sim.baseUrl() + "/v1/agents/" + agentId + "/messages/stream")
                .post(RequestBody.create(body, JSON))
                .build();
        try (Response response = HTTP.newCall(request).execute()) {
            if (response.code() != 200) {
                throw new IOException("letta-sim answered the send with HTTP " + response.code());
            }
            return ChunkPeek.of(
                            new SseFrameReader(response.body().source()).next().data())
                    .runId();
        }
    }
}
