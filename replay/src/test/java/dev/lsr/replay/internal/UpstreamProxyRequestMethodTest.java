package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A request method the JDK server takes but the JDK client refuses ({@code HttpRequest.Builder.method} throws
 * IllegalArgumentException for CONNECT, a restricted method) is bad input, as a refused header is
 * (UpstreamProxyRequestHeaderTest): it must be answered 501 (not passed on), not end the connection with no answer.
 */
class UpstreamProxyRequestMethodTest {

    @Test
    void aMethodTheJdkClientRefusesIsAnswered() throws Exception {
        HttpServer upstream = Upstreams.emptyOk();
        HttpServer proxy = Upstreams.proxyTo(upstream, Duration.ofSeconds(10));
        try (Socket socket = RawHttp.connect(proxy, 10_000)) {
            socket.getOutputStream()
                    .write("CONNECT /v1/agents HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(ISO_8859_1));
            String status = RawHttp.line(socket.getInputStream());
            assertNotNull(status, "no answer to a CONNECT: the connection ended first");
            assertTrue(status.startsWith("HTTP/1.1 501 "), status);
        } finally {
            proxy.stop(0);
            upstream.stop(0);
        }
    }
}
