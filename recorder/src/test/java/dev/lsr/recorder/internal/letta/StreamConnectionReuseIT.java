package dev.lsr.recorder.internal.letta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.recorder.Secret;
import dev.lsr.recorder.internal.sse.SseFrame;
import dev.lsr.recorder.testing.Fixtures;
import dev.lsr.sim.LettaSim;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * A stream read to its {@code [DONE]} gives its connection back: the Run GET that follows (the final
 * Run for {@code run.finished}) and the next run's stream reuse it instead of opening a new TCP
 * connection per request, against letta-sim over real HTTP.
 */
class StreamConnectionReuseIT {

    private static final String FIXTURE = "01-simple-reply";

    @Test
    void aStreamReadToItsEndLeavesItsConnectionForTheNextRequest() throws Exception {
        AtomicInteger connects = new AtomicInteger();
        OkHttpClient client = new OkHttpClient.Builder()
                .readTimeout(Duration.ofSeconds(5))
                .retryOnConnectionFailure(false)
                .eventListener(new EventListener() {
                    @Override
                    public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
                        connects.incrementAndGet();
                    }
                })
                .build();
        try (LettaSim sim = LettaSim.builder()
                .recordedRun(FIXTURE, LettaFixtures.sseBody(FIXTURE))
                .start()) {
            OkHttpLettaApi api = new OkHttpLettaApi(
                    client,
                    HttpUrl.get(sim.baseUrl() + "/"),
                    Secret.of("sk-let-unit"),
                    Duration.ofSeconds(10),
                    1 << 20);
            String runId = Fixtures.runId(FIXTURE);

            for (int round = 1; round <= 3; round++) {
                int frames = 0;
                try (SseStream stream = api.streamRun(runId, 0)) {
                    for (SseFrame frame = stream.next(); frame != null && !frame.isDone(); frame = stream.next()) {
                        frames++;
                    }
                }
                assertTrue(frames > 0, "the run streamed");
                assertEquals("completed", api.getRun(runId).status());
            }

            assertEquals(1, connects.get(), "three streams and three Run GETs over one connection");
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }
}
