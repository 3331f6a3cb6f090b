package dev.lsr.replay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that uploads its body steadily but slowly, for longer in all than the upstream timeout (never a gap as long
 * as it). docs/replay-server.md and {@code UpstreamProxy}: the upstream timeout bounds the wait for the upstream's
 * response headers and "each wait of that read for the client's next bytes"; a client that stops sending is answered
 * 408 (it was 504) and logged as its own doing, "not an upstream outage". The JDK client's request timeout ({@code
 * HttpRequest.Builder.timeout}, the same upstream timeout) runs from {@code send} through the whole upload: such a
 * body is answered 504 and logged as an upstream outage, the upstream never having had the body whole.
 */
class UpstreamProxySlowBodyTest {

    private HttpServer upstream;
    private HttpServer proxy;

    @BeforeEach
    void start() throws IOException {
        upstream = Upstreams.shaOfBody();
        proxy = Upstreams.proxyTo(upstream, Duration.ofSeconds(3));
    }

    @AfterEach
    void stop() {
        proxy.stop(0);
        upstream.stop(0);
    }

    @Test
    void aSlowButSteadyBodyLongerThanTheUpstreamTimeoutIsPassedOn() throws Exception {
        byte[] body = RawHttp.random(6 * 1000, 6);
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("Content-Length: " + body.length));
            Thread.ofVirtual().start(() -> {
                try {
                    for (int at = 0; at < body.length; at += 1000) {
                        out.write(body, at, 1000);
                        out.flush();
                        Thread.sleep(1000);
                    }
                } catch (IOException | InterruptedException e) {
                    // the test fails on the answer
                }
            });
            long start = System.nanoTime();
            String hash = RawHttp.okBody(socket.getInputStream());
            assertEquals(Upstreams.sha(body), hash, "after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
    }

    private Socket connect() throws IOException {
        return RawHttp.connect(proxy, 30_000);
    }

    private static byte[] head(String framing) {
        return RawHttp.postHead("/v1/echo", "application/octet-stream", framing);
    }
}
