package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/**
 * What bounding each read of a proxied body by the upstream timeout costs on a long stream: before, every read of the
 * upstream's body started a virtual thread of its own (a {@code ReadDeadline}), so a Letta stream of thousands of
 * frames started thousands of threads, one per frame. The watch is one per response now. Counted with JFR's {@code
 * jdk.VirtualThreadStart} events: every virtual thread the JVM starts while one stream of {@link #FRAMES} frames,
 * each sent apart, is proxied.
 */
class UpstreamProxyReadWatchTest {

    private static final int FRAMES = 400;

    @Test
    void aLongProxiedStreamStartsAFewThreadsNotOnePerRead() throws Exception {
        byte[] frame = "data: {\"message_type\":\"assistant_message\",\"content\":\"x\"}\n\n".getBytes(UTF_8);
        HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.setExecutor(Executors.newFixedThreadPool(2)); // platform threads: not counted
        upstream.createContext("/", exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                for (int i = 0; i < FRAMES; i++) {
                    out.write(frame);
                    out.flush();
                    Thread.sleep(2); // each frame its own read at the proxy
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(30)));
        proxy.start();
        AtomicLong virtualThreadsStarted = new AtomicLong();
        try (RecordingStream jfr = new RecordingStream();
                HttpClient http = HttpClient.newHttpClient()) {
            jfr.enable("jdk.VirtualThreadStart");
            jfr.onEvent("jdk.VirtualThreadStart", event -> virtualThreadsStarted.incrementAndGet());
            jfr.startAsync();
            HttpResponse<InputStream> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                    + proxy.getAddress().getPort() + "/v1/agents/a/messages/stream"))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            long received;
            try (InputStream body = response.body()) {
                received = body.readAllBytes().length;
            }
            jfr.stop(); // every event recorded so far is delivered
            assertEquals(200, response.statusCode());
            assertEquals((long) FRAMES * frame.length, received, "the whole stream");
            assertTrue(
                    virtualThreadsStarted.get() < 10,
                    "virtual threads started while a stream of " + FRAMES + " frames was proxied: "
                            + virtualThreadsStarted.get());
        } finally {
            proxy.stop(0);
            upstream.stop(0);
        }
    }
}
