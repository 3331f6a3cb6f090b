package dev.lsr.kernel.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link WriteDeadline#send} sends "a whole answer": the replay server's JSON answers and problems go through it
 * (Exchanges.json) whatever the request's method. A HEAD request's answer is its headers alone (RFC 9110 9.3.2): the
 * JDK server closes its body at once (and logs a WARNING when given a length for it), so writing the body then fails.
 * A HEAD to the replay server (a 405 problem for {@code HEAD /v1/runs/}) made send throw from the handler.
 */
class WriteDeadlineSendTest {

    @Test
    void aHeadRequestGetsItsHeadersAndSendReturns() throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                WriteDeadline.send(
                        exchange, 405, "{\"detail\":\"Method Not Allowed\"}".getBytes(UTF_8), Duration.ofSeconds(5));
                thrown.complete(null);
            } catch (Throwable e) {
                thrown.complete(e);
                throw e;
            }
        });
        server.start();
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                            + server.getAddress().getPort() + "/v1/runs/"))
                                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
            assertEquals(405, response.statusCode());
            Throwable e = thrown.get(10, TimeUnit.SECONDS);
            assertNull(e, () -> "WriteDeadline.send on a HEAD request threw " + e);
        } finally {
            server.stop(0);
        }
    }
}
