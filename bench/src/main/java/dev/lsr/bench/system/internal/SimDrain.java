package dev.lsr.bench.system.internal;

import dev.lsr.recorder.internal.sse.SseFrame;
import dev.lsr.recorder.internal.sse.SseFrameReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The load generator's own ceiling: every run's stream drained over HTTP with the recorder's SSE reader,
 * one virtual thread per run as the recorder does, and the frames dropped (no Kafka). Shows how much
 * of the machine the sim and the HTTP path take before the log is involved.
 */
final class SimDrain {

    private static final MediaType JSON = MediaType.get("application/json");

    private SimDrain() {}

    /** Drains every run from its start; returns the frames read ([DONE] excepted). */
    static long drainAll(String baseUrl, List<String> runIds) {
        OkHttpClient client =
                new OkHttpClient.Builder().readTimeout(Duration.ZERO).build();
        AtomicLong frames = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (String runId : runIds) {
            threads.add(Thread.ofVirtual().start(() -> frames.addAndGet(drain(client, baseUrl, runId))));
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
        return frames.get();
    }

    private static long drain(OkHttpClient client, String baseUrl, String runId) {
        Request request = new Request.Builder()
                .url(baseUrl + "/v1/runs/" + runId + "/stream")
                .header("Accept", "text/event-stream")
                .post(RequestBody.create("{\"starting_after\":0,\"include_pings\":true}", JSON))
                .build();
        try (Response response = client.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                throw new IllegalStateException("stream of " + runId + ": HTTP " + response.code());
            }
            SseFrameReader reader = new SseFrameReader(response.body().source());
            long count = 0;
            SseFrame frame;
            while ((frame = reader.next()) != null && !frame.isDone()) {
                count++;
            }
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
