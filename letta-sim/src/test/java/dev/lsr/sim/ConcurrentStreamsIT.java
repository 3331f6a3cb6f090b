package dev.lsr.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Capacity: 2,000 concurrent slow background streams (2,000 runs, each in its own conversation,
 * stored at a 100 ms pace) all complete with exactly their stored frames.
 */
class ConcurrentStreamsIT {

    private static final Logger LOG = LoggerFactory.getLogger(ConcurrentStreamsIT.class);
    private static final int STREAMS = 2_000;

    @Test
    void twoThousandSlowStreamsAllCompleteWithTheirFrames() throws Exception {
        try (LettaSim sim = LettaSim.builder().pace(Duration.ofMillis(100)).start();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .executor(threads)
                    .connectTimeout(Duration.ofSeconds(60))
                    .build();
            long start = System.nanoTime();
            List<CompletableFuture<Timed>> calls = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                String body =
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"[sim:reply] [sim:chunks=20]\",\"otid\":\"otid-"
                                + i + "\"}],\"stream_tokens\":true,\"background\":true}";
                HttpRequest request = HttpRequest.newBuilder(
                                URI.create(sim.baseUrl() + "/v1/conversations/conv-" + i + "/messages"))
                        .timeout(Duration.ofMinutes(3))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
                long sent = System.nanoTime();
                calls.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                        .thenApply(response -> new Timed(response, sent, System.nanoTime())));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            LOG.info(
                    "{} streams done in {} ms; at most {} open at once",
                    STREAMS,
                    (System.nanoTime() - start) / 1_000_000,
                    maxOverlap(calls));

            for (CompletableFuture<Timed> call : calls) {
                HttpResponse<byte[]> response = call.get().response();
                assertEquals(200, response.statusCode());
                String runId = SimClient.runIdOf(response.body());
                ByteArrayOutputStream expected = new ByteArrayOutputStream();
                sim.storedFrames(runId).forEach(frame -> expected.writeBytes(frame.servedBytes()));
                assertArrayEquals(expected.toByteArray(), response.body(), runId);
                List<SseFrames.Frame> frames = SseFrames.parse(response.body());
                assertEquals("[DONE]", frames.getLast().type());
            }
            assertEquals(STREAMS, sim.runIds().size());
        }
    }

    private record Timed(HttpResponse<byte[]> response, long sentNanos, long doneNanos) {}

    private static int maxOverlap(List<CompletableFuture<Timed>> calls) {
        List<long[]> events = new ArrayList<>();
        for (CompletableFuture<Timed> call : calls) {
            Timed timed = call.join();
            events.add(new long[] {timed.sentNanos(), 1});
            events.add(new long[] {timed.doneNanos(), -1});
        }
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int open = 0;
        int max = 0;
        for (long[] event : events) {
            open += (int) event[1];
            max = Math.max(max, open);
        }
        return max;
    }
}
