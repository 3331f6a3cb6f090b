package dev.lsr.replay.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BodyRelay: "a client that stops sending blocks this thread only, never the handler nor an HttpClient worker";
 * ProxiedRequestBody: "a read blocked on a client that stopped holds no thread but the relay's". The JDK client pulls
 * the body ({@code BodyPublishers.ofInputStream}) in its executor's platform threads, and {@code BodyRelay.pull}
 * parks that thread for up to the upstream timeout (5 minutes by default): one platform thread per stopped body.
 */
class UpstreamProxyStoppedBodyThreadTest {

    @Test
    void aStoppedBodyHoldsNoPlatformThread() throws Exception {
        try (Upstreams.Silent upstream = Upstreams.silent(Duration.ZERO)) {
            HttpServer proxy = Upstreams.proxyTo(upstream.port(), Duration.ofSeconds(5));
            try (Socket socket = RawHttp.connect(proxy, 10_000)) {
                RawHttp.stoppedPost(socket, 100_000, 10); // then nothing
                Thread.sleep(2000); // the proxy waits for the rest of the body (upstream timeout 5 s)
                List<String> waiting = Thread.getAllStackTraces().entrySet().stream()
                        .filter(e -> java.util.Arrays.stream(e.getValue())
                                .anyMatch(f -> f.getClassName().equals(BodyRelay.class.getName())
                                        && f.getMethodName().equals("pull")))
                        .map(e -> e.getKey().getName())
                        .toList();
                assertTrue(
                        waiting.isEmpty(), "platform threads waiting for a stopped client's request body: " + waiting);
            } finally {
                proxy.stop(0);
            }
        }
    }
}
