package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
 * A client's request header the JDK server takes but the JDK client refuses to send (a control character in its
 * value: {@code HttpRequest.Builder.header} throws IllegalArgumentException, its message holding the value) is bad
 * input: it must be answered (a 400), not end the connection with no answer and nothing logged.
 */
class UpstreamProxyRequestHeaderTest {

    @Test
    void aHeaderTheJdkClientRefusesIsAnsweredNotDropped() throws Exception {
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
                    .write("GET /v1/agents HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Note: a\u0001b\r\n\r\n"
                            .getBytes(ISO_8859_1));
            String statusLine =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), ISO_8859_1)).readLine();
            assertNotNull(statusLine, "no answer: the connection ended first");
            assertEquals(400, Integer.parseInt(statusLine.split(" ")[1]), statusLine);
        } finally {
            proxy.stop(0);
            upstream.stop(0);
        }
    }
}
