package dev.lsr.replay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ReplayServer.Builder#maxStreams}: stream responses open at once are bounded (before, a flood of clients
 * opened streams without bound, each holding a thread, a live feed and a file descriptor); a stream request beyond
 * the bound is answered 503 at once, before its body is read or an upstream is asked, and every other route still
 * answers.
 */
@ExtendWith(KafkaBrokerExtension.class)
class MaxStreamsIT {

    private static final Duration KEEPALIVE = Duration.ofMillis(300);

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aStreamBeyondTheLimitIsAnswered503AndOnceOneEndsANewOneIsServed(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("max-streams");
        kafka.createTopic(topic, 1);
        String runId = "run-limit-0000-4000-8000-000000000001";
        List<ChunkLogRecord> records =
                FixtureLog.of("01-simple-reply").runId(runId).records();
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic);
                ReplayServer server = ReplayServer.builder()
                        .clientProperties(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                        .topic(topic)
                        .port(0)
                        .keepalive(KEEPALIVE) // a gone client is noticed at the next ping
                        .maxStreams(2)
                        .start()) {
            server.mountOpen("/health/live", exchange -> {
                try (exchange) {
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            producer.append(records.subList(0, records.size() / 2)); // a live run: its streams stay open
            await().atMost(Duration.ofSeconds(30)).until(() -> server.indexedRuns() == 1);

            Socket first = openStream(server, runId);
            Socket second = openStream(server, runId);
            try {
                assertEquals(2, server.openStreams());

                HttpResponse<InputStream> third = postStream(server.baseUrl(), "/v1/runs/" + runId + "/stream");
                assertEquals(503, third.statusCode(), "a third stream with max streams 2");
                String body = new String(third.body().readAllBytes(), UTF_8);
                assertEquals("1", third.headers().firstValue("Retry-After").orElse(null));
                assertTrue(body.startsWith("{\"detail\":\"") && !body.contains("\n"), body);
                assertEquals(1, server.refusedStreams());

                assertEquals(200, get(server.baseUrl(), "/health/live").statusCode(), "probes are never refused");
                assertEquals(200, get(server.baseUrl(), "/v1/runs/").statusCode(), "JSON answers are not either");
                assertEquals(200, get(server.baseUrl(), "/v1/runs/" + runId).statusCode());

                first.close(); // the server finds it gone at the next keepalive ping
                await("the gone client's stream ends")
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> server.openStreams() == 1);
                openStream(server, runId).close();
                assertEquals(1, server.refusedStreams(), "once a stream ended, a new one is served");
            } finally {
                first.close();
                second.close();
            }
        }
    }

    /** Many stream requests at once: exactly the limit is served, every other one refused, none lost or counted twice. */
    @Test
    void manyStreamRequestsAtOnceAreServedUpToTheLimitExactly(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("max-streams-flood");
        kafka.createTopic(topic, 1);
        String runId = "run-limit-0000-4000-8000-000000000002";
        List<ChunkLogRecord> records =
                FixtureLog.of("01-simple-reply").runId(runId).records();
        int limit = 5;
        int clients = 40;
        List<Socket> sockets = new CopyOnWriteArrayList<>();
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic);
                ReplayServer server = ReplayServer.builder()
                        .clientProperties(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                        .topic(topic)
                        .port(0)
                        .maxStreams(limit)
                        .start()) {
            producer.append(records.subList(0, records.size() / 2)); // a live run: its streams stay open
            await().atMost(Duration.ofSeconds(30)).until(() -> server.indexedRuns() == 1);
            Map<String, Integer> byStatus = new ConcurrentHashMap<>();
            CountDownLatch go = new CountDownLatch(1);
            try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> sent = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    sent.add(requests.submit(() -> {
                        go.await();
                        Socket socket = new Socket("127.0.0.1", server.port());
                        sockets.add(socket); // held open: a served stream keeps its slot
                        socket.setSoTimeout(10_000);
                        socket.getOutputStream()
                                .write(("POST /v1/runs/" + runId + "/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                + "Content-Length: 0\r\n\r\n")
                                        .getBytes(UTF_8));
                        String head = readUntil(socket.getInputStream(), "\r\n");
                        byStatus.merge(head.substring(0, head.indexOf("\r\n")), 1, Integer::sum);
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> one : sent) {
                    one.get(30, TimeUnit.SECONDS);
                }
            }
            assertEquals(
                    Map.of("HTTP/1.1 200 OK", limit, "HTTP/1.1 503 Service Unavailable", clients - limit), byStatus);
            assertEquals(limit, server.openStreams());
            assertEquals(clients - limit, server.refusedStreams());
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /**
     * A stream proxied to the upstream (a streamed send) takes a slot as a replayed one does; a send beyond the bound is
     * refused before the upstream sees it, so a client that tries again sends its message once.
     */
    @Test
    void aProxiedStreamTakesASlotAndARefusedSendNeverReachesTheUpstream(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("max-streams-proxied");
        kafka.createTopic(topic, 1);
        AtomicInteger sends = new AtomicInteger();
        CountDownLatch endSends = new CountDownLatch(1);
        HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", exchange -> {
            try (exchange) {
                sends.incrementAndGet();
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                out.write("data: {\"message_type\":\"ping\"}\n\n".getBytes(UTF_8));
                out.flush();
                endSends.await(30, TimeUnit.SECONDS); // a send that streams until the test lets it end
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        upstream.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        upstream.start();
        String send = "/v1/agents/agent-1/messages/stream";
        try (ReplayServer server = ReplayServer.builder()
                .clientProperties(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .topic(topic)
                .port(0)
                .upstream(URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()))
                .maxStreams(1)
                .start()) {
            assertTrue(server.awaitIndexed(Duration.ofSeconds(30)));
            HttpResponse<InputStream> streamed = postStream(server.baseUrl(), send);
            assertEquals(200, streamed.statusCode());
            readUntil(streamed.body(), "ping");
            assertEquals(1, server.openStreams(), "the proxied stream holds the only slot");

            HttpResponse<InputStream> replayed = postStream(server.baseUrl(), "/v1/runs/run-any/stream");
            assertEquals(503, replayed.statusCode(), "a replayed stream while a proxied one holds the slot");
            replayed.body().close();
            HttpResponse<InputStream> refusedSend = postStream(server.baseUrl(), send);
            assertEquals(503, refusedSend.statusCode(), "a second streamed send");
            refusedSend.body().close();
            assertEquals(1, sends.get(), "the refused send never reached the upstream");
            assertEquals(2, server.refusedStreams());
            assertEquals(200, get(server.baseUrl(), "/v1/runs/").statusCode());

            endSends.countDown();
            streamed.body().readAllBytes();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.openStreams() == 0);
            HttpResponse<InputStream> next = postStream(server.baseUrl(), send);
            assertEquals(200, next.statusCode(), "once the stream ended, a new send is served");
            next.body().readAllBytes();
            assertEquals(2, sends.get());
        } finally {
            endSends.countDown();
            upstream.stop(0);
        }
    }

    /** Opens a stream over a raw socket and reads it until its first frame; the socket holds it open. */
    private static Socket openStream(ReplayServer server, String runId) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/runs/" + runId + "/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")
                .getBytes(UTF_8));
        out.flush();
        String received = readUntil(socket.getInputStream(), "\"seq_id\":");
        assertTrue(received.startsWith("HTTP/1.1 200"), received);
        return socket;
    }

    private HttpResponse<InputStream> postStream(URI base, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    private HttpResponse<String> get(URI base, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString(UTF_8));
    }

    private static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        while (!received.toString(UTF_8).contains(marker)) {
            int n = in.read(chunk);
            assertTrue(n >= 0, "the response ended early: " + received.toString(UTF_8));
            received.write(chunk, 0, n);
        }
        return received.toString(UTF_8);
    }
}
