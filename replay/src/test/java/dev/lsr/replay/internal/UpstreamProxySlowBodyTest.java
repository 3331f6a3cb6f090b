package dev.lsr.replay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that uploads its body steadily but slowly, for longer in all than the upstream timeout (never a gap as long
 * as it). docs/replay-server.md and {@code UpstreamProxy}: the upstream timeout bounds the wait for the upstream's
 * response headers and "each wait of that read for the client's next bytes"; a client that stops sending is answered
 * 408 (it was 504) and logged as its own doing, "not an upstream outage". The JDK client's request timeout ({@code
 * HttpRequest.Builder.timeout}, the same upstream timeout) runs from {@code send} through the whole upload: such a
 * body is answered 504 and logged as an upstream outage, the upstream never having had the body whole.
 */
class UpstreamProxySlowBodyTest {

    @RegisterExtension
    final Upstreams.ShaEchoProxy echo = new Upstreams.ShaEchoProxy(Duration.ofSeconds(3));

    @Test
    void aSlowButSteadyBodyLongerThanTheUpstreamTimeoutIsPassedOn() throws Exception {
        byte[] body = RawHttp.random(6 * 1000, 6);
        try (Socket socket = echo.connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(Upstreams.ShaEchoProxy.head("Content-Length: " + body.length));
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
}
