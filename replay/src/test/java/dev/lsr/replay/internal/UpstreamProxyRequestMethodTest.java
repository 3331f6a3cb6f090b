package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * A request method the JDK server takes but the JDK client refuses ({@code HttpRequest.Builder.method} throws
 * IllegalArgumentException for CONNECT, a restricted method) is bad input, as a refused header is
 * (UpstreamProxyRequestHeaderTest): it must be answered, not end the connection with no answer.
 */
class UpstreamProxyRequestMethodTest {

    @Test
    void aMethodTheJdkClientRefusesIsAnswered() throws Exception {
        HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        upstream.createContext("/", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(200, -1);
            }
        });
        upstream.start();
        HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        proxy.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        proxy.createContext(
                "/",
                new UpstreamProxy(
                        URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()),
                        false,
                        null,
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(10)));
        proxy.start();
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress(
                    InetAddress.getLoopbackAddress(), proxy.getAddress().getPort()));
            socket.getOutputStream()
                    .write("CONNECT /v1/agents HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(ISO_8859_1));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), ISO_8859_1));
            String status = in.readLine();
            assertNotNull(status, "no answer to a CONNECT: the connection ended first");
            assertTrue(status.matches("HTTP/1.1 [45]\\d\\d .*"), status);
        } finally {
            proxy.stop(0);
            upstream.stop(0);
        }
    }
}
