package dev.lsr.replay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.kernel.http.testing.NeverReadingClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the proxy to the upstream Letta server ({@code --upstream}) does with a request body: it streams it (a
 * body held whole in memory let one large POST exhaust the heap), keeping its {@code Content-Length}; which
 * methods of the runs routes it gets.
 */
@ExtendWith(KafkaBrokerExtension.class)
class UpstreamProxyIT {

    private final HttpClient http = HttpClient.newHttpClient();
    /** The method and raw path of each request the upstream got. */
    private final List<String> upstreamRequests = new CopyOnWriteArrayList<>();
    /** The last request's Content-Length and Transfer-Encoding ("" for none). */
    private final Map<String, String> upstreamHeaders = new ConcurrentHashMap<>();

    private final CountDownLatch firstBodyBytes = new CountDownLatch(1);
    private HttpServer upstream;

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", exchange -> {
            try (exchange) {
                upstreamRequests.add(exchange.getRequestMethod() + " "
                        + exchange.getRequestURI().getRawPath());
                for (String name : List.of("Content-Length", "Transfer-Encoding", "X-Hop", "X-Kept")) {
                    String value = exchange.getRequestHeaders().getFirst(name);
                    upstreamHeaders.put(name, value == null ? "" : value);
                }
                long received = 0;
                try (InputStream in = exchange.getRequestBody()) {
                    byte[] buffer = new byte[65536];
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        received += n;
                        if (n > 0) {
                            firstBodyBytes.countDown();
                        }
                    }
                }
                byte[] body = ("{\"received\":" + received + "}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        upstream.start();
    }

    @AfterEach
    void stopUpstream() {
        upstream.stop(0);
    }

    /** The upstream gets the body's start while the client still sends the rest: nothing is held whole. */
    @Test
    void aBodyIsStreamedWithItsLength(KafkaBroker broker) throws Exception {
        int length = 8 * 1024 * 1024;
        try (ReplayServer server = server(broker, true);
                Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/agents/agent-1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                            + "Content-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] part = new byte[64 * 1024];
            out.write(part);
            out.flush();
            assertTrue(
                    firstBodyBytes.await(20, TimeUnit.SECONDS),
                    "the upstream got the body's first bytes while the client still held the rest");
            for (int sent = part.length; sent < length; sent += part.length) {
                out.write(part);
            }
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200 "), response);
            assertTrue(response.contains("{\"received\":" + length + "}"), response);
        }
        assertEquals(Integer.toString(length), upstreamHeaders.get("Content-Length"));
    }

    /** A chunked body goes on chunked, whole; a GET goes on without a body. */
    @Test
    void aChunkedBodyGoesOnChunkedAndAGetWithout(KafkaBroker broker) throws Exception {
        int length = 3 * 1024 * 1024;
        try (ReplayServer server = server(broker, true)) {
            HttpResponse<String> posted = http.send(
                    HttpRequest.newBuilder(server.baseUrl().resolve("/v1/agents/agent-1/messages"))
                            .POST(HttpRequest.BodyPublishers.ofInputStream(
                                    () -> new java.io.ByteArrayInputStream(new byte[length])))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, posted.statusCode(), posted.body());
            assertEquals("{\"received\":" + length + "}", posted.body());
            assertEquals("", upstreamHeaders.get("Content-Length"));
            assertEquals("chunked", upstreamHeaders.get("Transfer-Encoding"));
            HttpResponse<String> got = http.send(
                    HttpRequest.newBuilder(server.baseUrl().resolve("/v1/agents/agent-1"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"received\":0}", got.body());
            assertEquals("", upstreamHeaders.get("Transfer-Encoding"));
            assertNull(got.headers().firstValue("Transfer-Encoding").orElse(null));
        }
    }

    /**
     * A method the runs API does not answer on one of its routes ({@code DELETE /v1/runs/{run_id}}, Letta's) goes to
     * the upstream like every other route; without one it is still 405.
     */
    @Test
    void aRunsRouteMethodTheLogCannotAnswerGoesUpstream(KafkaBroker broker) throws Exception {
        try (ReplayServer server = server(broker, true)) {
            assertEquals(200, send(server, "DELETE", "/v1/runs/run-1").statusCode());
            assertEquals(200, send(server, "PATCH", "/v1/runs/run-1").statusCode());
            assertEquals(404, send(server, "GET", "/v1/runs/run-1").statusCode(), "GET is still the log's");
        }
        assertEquals(List.of("DELETE /v1/runs/run-1", "PATCH /v1/runs/run-1"), upstreamRequests);
        try (ReplayServer server = server(broker, false)) {
            assertEquals(405, send(server, "DELETE", "/v1/runs/run-1").statusCode());
        }
    }

    /** A header its request's {@code Connection} names is for this hop only (RFC 9110 7.6.1): not passed on. */
    @Test
    void headersNamedInConnectionAreNotPassedOn(KafkaBroker broker) throws Exception {
        try (ReplayServer server = server(broker, true);
                Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream()
                    .write(("GET /v1/agents/agent-1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                                    + "Connection: keep-alive, X-Hop\r\n"
                                    + "X-Hop: secret-for-this-hop\r\nX-Kept: kept\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        }
        assertEquals("kept", upstreamHeaders.get("X-Kept"));
        assertEquals("", upstreamHeaders.get("X-Hop"), "the header Connection named");
    }

    /**
     * Closing the server does not wait for a proxied request whose upstream never answers: the upstream accepts the
     * connection and reads the request, but sends nothing back. Before, {@code close} waited for its thread for ever.
     */
    @Test
    void closeDoesNotWaitForAnUpstreamThatNeverAnswers(KafkaBroker broker) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket socket = silent.accept();
                    socket.getInputStream().read(); // the request arrived; no answer follows
                    return socket;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            ReplayServer server = server(broker, URI.create("http://127.0.0.1:" + silent.getLocalPort()));
            http.sendAsync(
                    HttpRequest.newBuilder(server.baseUrl().resolve("/v1/agents/agent-1"))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            Socket upstreamSide = accepted.get(20, TimeUnit.SECONDS);
            try (upstreamSide) {
                CompletableFuture<Void> closed = CompletableFuture.runAsync(server::close);
                try {
                    closed.get(2, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    fail("close still waits for the proxied request 2 s after it was called");
                }
            }
        }
    }

    /**
     * An upstream that accepts the connection and reads the request but never answers: the proxied request is
     * answered 504 once the upstream timeout passes. Before, the client waited (and the request's thread with it)
     * for ever.
     */
    @Test
    void anUpstreamThatNeverAnswersIsAnswered504AfterTheTimeout(KafkaBroker broker) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket socket = silent.accept();
                    socket.getInputStream().read(); // the request arrived; no answer follows
                    return socket;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Duration timeout = Duration.ofSeconds(2);
            try (ReplayServer server =
                    server(broker, URI.create("http://127.0.0.1:" + silent.getLocalPort()), timeout)) {
                long start = System.nanoTime();
                HttpResponse<String> response;
                try {
                    response = http.send(
                            HttpRequest.newBuilder(server.baseUrl().resolve("/v1/agents/agent-1"))
                                    .timeout(Duration.ofSeconds(15))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (HttpTimeoutException e) {
                    fail("no answer 15 s after the request, with an upstream timeout of " + timeout);
                    return;
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertEquals(504, response.statusCode(), response.body());
                assertEquals(
                        "{\"detail\":\"The upstream Letta server did not answer within " + timeout.toSeconds()
                                + " s.\"}",
                        response.body());
                assertTrue(took.compareTo(timeout.plusSeconds(5)) < 0, "answered after " + took);
            } finally {
                accepted.get(20, TimeUnit.SECONDS).close();
            }
        }
    }

    /**
     * A client that never reads a proxied stream (an agent's SSE send): once the socket buffers are full the proxy's
     * write blocks, and before, it held the request's thread and the upstream's connection until TCP gave up. After
     * the write timeout the proxy ends the response and lets go of the upstream, whose own writes then fail.
     */
    @Test
    void aClientThatNeverReadsAProxiedStreamLetsGoOfTheUpstreamAfterTheWriteTimeout(KafkaBroker broker)
            throws Exception {
        CompletableFuture<Void> upstreamLetGo = new CompletableFuture<>();
        upstream.createContext("/v1/agents/agent-1/messages/stream", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            byte[] frame = ("data: {\"pad\":\"" + "x".repeat(60_000) + "\"}\n\n").getBytes(StandardCharsets.UTF_8);
            try (OutputStream out = exchange.getResponseBody()) {
                for (long end = System.nanoTime() + Duration.ofSeconds(40).toNanos(); System.nanoTime() < end; ) {
                    out.write(frame);
                    out.flush();
                }
            } catch (IOException e) {
                upstreamLetGo.complete(null);
            }
        });
        Duration writeTimeout = Duration.ofSeconds(2);
        String topic = broker.uniqueTopic("upstream-proxy");
        broker.createTopic(topic, 1);
        try (ReplayServer server = ReplayServer.builder()
                .clientProperties(Map.of("bootstrap.servers", broker.bootstrapServers()))
                .topic(topic)
                .port(0)
                .upstream(URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()))
                .writeTimeout(writeTimeout)
                .start()) {
            assertTrue(server.awaitIndexed(Duration.ofSeconds(60)), "indexed");
            Socket neverReading = NeverReadingClient.send(
                    server.port(),
                    "POST /v1/agents/agent-1/messages/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
            try {
                upstreamLetGo.get(writeTimeout.toSeconds() + 15, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                fail("the upstream's stream is still held " + (writeTimeout.toSeconds() + 15)
                        + " s after the request, with a write timeout of " + writeTimeout);
            } finally {
                neverReading.close();
            }
            await("counted with the stalled streams")
                    .atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertEquals(1, server.stalledStreams(), "stalled streams"));
        }
    }

    /**
     * An upstream whose streamed body goes silent after its headers and first frame (a Letta stream sends a ping
     * every 20 s, so no byte for the upstream timeout is a dead one): before, nothing bounded the wait for the next
     * byte, and the client's request, its thread and the upstream's connection were held for ever. After the upstream
     * timeout the client's response is cut (no last chunk: the client sees the cut and can resume), the upstream's
     * connection is let go, and it is counted with the stalled streams.
     */
    @Test
    void aProxiedBodyThatGoesSilentIsCutAfterTheUpstreamTimeout(KafkaBroker broker) throws Exception {
        String frame = "data: {\"message_type\":\"ping\"}\n\n";
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> upstreamLetGo = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (Socket socket = silent.accept()) {
                    InputStream in = socket.getInputStream();
                    readRequest(in);
                    socket.getOutputStream()
                            .write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                            + "Transfer-Encoding: chunked\r\n\r\n"
                                            + Integer.toHexString(frame.length()) + "\r\n" + frame + "\r\n")
                                    .getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().flush();
                    if (in.read() < 0) { // then nothing: only the proxy's closing ends this read
                        upstreamLetGo.complete(null);
                    }
                } catch (IOException e) {
                    upstreamLetGo.complete(null); // reset
                }
            });
            Duration timeout = Duration.ofSeconds(2);
            try (ReplayServer server =
                    server(broker, URI.create("http://127.0.0.1:" + silent.getLocalPort()), timeout)) {
                HttpResponse<InputStream> response = http.send(
                        HttpRequest.newBuilder(server.baseUrl().resolve("/v1/agents/agent-1/messages/stream"))
                                .timeout(Duration.ofSeconds(15))
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, response.statusCode());
                InputStream body = response.body();
                assertEquals(frame, new String(body.readNBytes(frame.length()), StandardCharsets.UTF_8));
                CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> {
                    try {
                        return body.read() < 0 ? "ended as if complete" : "more bytes";
                    } catch (IOException e) {
                        return "cut";
                    }
                });
                String end;
                try {
                    end = rest.get(timeout.toSeconds() + 15, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    body.close();
                    fail("the client's response is still open " + (timeout.toSeconds() + 15)
                            + " s after the upstream went silent, with an upstream timeout of " + timeout);
                    return;
                }
                assertEquals("cut", end, "the client's response");
                upstreamLetGo.get(5, TimeUnit.SECONDS);
                await("counted with the stalled streams")
                        .atMost(Duration.ofSeconds(5))
                        .untilAsserted(() -> assertEquals(1, server.stalledStreams(), "stalled streams"));
            }
        }
    }

    /** Reads a request's head and its body of {@code Content-Length} bytes. */
    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the request ended in its head");
            }
            head.append((char) c);
        }
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(
                        line.substring("content-length:".length()).strip()));
            }
        }
    }

    private HttpResponse<String> send(ReplayServer server, String method, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(server.baseUrl().resolve(path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private ReplayServer server(KafkaBroker broker, boolean withUpstream) throws InterruptedException {
        return server(
                broker,
                withUpstream
                        ? URI.create("http://127.0.0.1:" + upstream.getAddress().getPort())
                        : null);
    }

    private ReplayServer server(KafkaBroker broker, URI letta) throws InterruptedException {
        return server(broker, letta, Duration.ofMinutes(5));
    }

    private ReplayServer server(KafkaBroker broker, URI letta, Duration upstreamTimeout) throws InterruptedException {
        String topic = broker.uniqueTopic("upstream-proxy");
        broker.createTopic(topic, 1);
        ReplayServer.Builder builder = ReplayServer.builder()
                .clientProperties(Map.of("bootstrap.servers", broker.bootstrapServers()))
                .topic(topic)
                .port(0);
        ReplayServer server =
                builder.upstream(letta).upstreamTimeout(upstreamTimeout).start();
        assertTrue(server.awaitIndexed(Duration.ofSeconds(60)), "indexed");
        return server;
    }
}
