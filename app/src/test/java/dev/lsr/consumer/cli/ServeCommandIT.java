package dev.lsr.consumer.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.testing.ChildRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code consumer serve} as an operator runs it, in its own JVM, with an API key: one port serves Letta's
 * runs API, the run viewer at {@code /} (both behind the key) and {@code /metrics} and the health probes
 * (open, as scrapers and probes send no key); SIGTERM stops it with exit code 0.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ServeCommandIT {

    private static final String KEY = "serve-it-key-0123456789";
    private static final String RUN = "05-long-run-with-pings";
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void oneServerServesTheApiTheViewerMetricsAndProbes(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("serve");
        broker.createTopic(topic, 2);
        FixtureLog fixture = FixtureLog.of(RUN);
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            producer.append(fixture.records());
        }
        String runId = fixture.records().getFirst().runId();
        Path dir = Files.createDirectories(Path.of("target", "serve-it"));
        Path keyFile = Files.writeString(dir.resolve(topic + ".key"), KEY + "\n", UTF_8);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        URI base = URI.create("http://127.0.0.1:" + port);
        try (ChildRecorder serve = ChildRecorder.start(
                ConsumerCli.class,
                List.of(
                        "--bootstrap-servers",
                        broker.bootstrapServers(),
                        "--topic",
                        topic,
                        "serve",
                        "--port",
                        Integer.toString(port),
                        "--api-key-file",
                        keyFile.toString()),
                dir.resolve(topic + ".log"))) {
            serve.awaitOutput("run viewer: " + base + "/", TIMEOUT);
            await().atMost(TIMEOUT).until(() -> get(base, "/health/ready", null).statusCode() == 200);

            assertEquals(200, get(base, "/health/live", null).statusCode());
            HttpResponse<String> metrics = get(base, "/metrics", null);
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("lsr_replay_runs_indexed 1.0"), metrics.body());
            assertTrue(metrics.body().contains("lsr_replay_streams_open 0.0"), metrics.body());
            assertTrue(metrics.body().contains("lsr_replay_streams_stalled_total 0.0"), metrics.body());
            assertTrue(metrics.body().contains("lsr_replay_index_outages_total 0.0"), metrics.body());
            assertTrue(metrics.body().contains("lsr_replay_index_failed_reads_total 0.0"), metrics.body());
            assertTrue(metrics.body().contains("lsr_replay_index_offsets_deleted_unread_total 0.0"), metrics.body());
            assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "JVM meters");

            // no connection cap of its own: live streams, the viewer and the probes share the port, and a cap
            // refuses silently (the JDK closes the connection unlogged), the liveness probe's too
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) {
                    Socket socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                    held.add(socket);
                }
                assertEquals(
                        200,
                        HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(base.resolve("/health/live"))
                                                .timeout(Duration.ofSeconds(30))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString(UTF_8))
                                .statusCode(),
                        "liveness with 300 other connections open");
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }

            assertEquals(401, get(base, "/", null).statusCode(), "the viewer shows transcripts: behind the key");
            assertEquals(401, get(base, "/v1/runs/", null).statusCode());
            HttpResponse<String> runs = get(base, "/v1/runs/", KEY);
            assertEquals(200, runs.statusCode());
            assertTrue(runs.body().contains(runId), runs.body());
            await().atMost(TIMEOUT).until(() -> get(base, "/", KEY).body().contains(runId));
            HttpResponse<String> page = get(base, "/", KEY);
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));

            assertEquals(0, serve.terminate(TIMEOUT), "SIGTERM is a clean stop: " + serve.output());
            String output = serve.output();
            assertFalse(output.contains(KEY), "the key never reaches the output");
        }
    }

    /**
     * {@code --max-streams}: with 2, a third stream request is answered 503 at once while the probes and the metrics
     * still answer (before, streams were unbounded: each holds a thread and a file descriptor until the process runs
     * out); and the connection cap above the streams (2 + 256) closes a flood of idle connections.
     */
    @Test
    void streamsBeyondMaxStreamsAreRefusedWhileProbesAndMetricsAnswer(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("serve-max");
        broker.createTopic(topic, 1);
        String runId = "run-serve-max-0000-4000-8000-000000000001";
        List<ChunkLogRecord> records =
                FixtureLog.of("01-simple-reply").runId(runId).records();
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            producer.append(records.subList(0, records.size() / 2)); // a live run: its streams stay open
        }
        Path dir = Files.createDirectories(Path.of("target", "serve-it"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        URI base = URI.create("http://127.0.0.1:" + port);
        try (ChildRecorder serve = ChildRecorder.start(
                ConsumerCli.class,
                List.of(
                        "--bootstrap-servers",
                        broker.bootstrapServers(),
                        "--topic",
                        topic,
                        "serve",
                        "--port",
                        Integer.toString(port),
                        "--max-streams",
                        "2"),
                dir.resolve(topic + ".log"))) {
            serve.awaitOutput("run viewer: " + base + "/", TIMEOUT);
            await().atMost(TIMEOUT).until(() -> get(base, "/health/ready", null).statusCode() == 200);
            await().atMost(TIMEOUT)
                    .until(() -> get(base, "/v1/runs/", null).body().contains(runId));

            List<Socket> streams = List.of(openStream(port, runId), openStream(port, runId));
            try {
                HttpResponse<InputStream> third = http.send(
                        HttpRequest.newBuilder(base.resolve("/v1/runs/" + runId + "/stream"))
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(503, third.statusCode(), "a third stream with --max-streams 2");
                assertEquals("1", third.headers().firstValue("Retry-After").orElse(null));
                assertTrue(new String(third.body().readAllBytes(), UTF_8).startsWith("{\"detail\":"));

                assertEquals(200, get(base, "/health/live", null).statusCode());
                assertEquals(200, get(base, "/health/ready", null).statusCode());
                HttpResponse<String> metrics = get(base, "/metrics", null);
                assertTrue(metrics.body().contains("lsr_replay_streams_open 2.0"), metrics.body());
                assertTrue(metrics.body().contains("lsr_replay_streams_refused_total 1.0"), metrics.body());

                List<Socket> flood = new ArrayList<>();
                try {
                    for (int i = 0; i < 300; i++) {
                        Socket socket = new Socket();
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                        flood.add(socket);
                    }
                    assertTrue(closedByTheServer(flood) > 0, "300 idle connections beyond a cap of 2 + 256");
                } finally {
                    for (Socket socket : flood) {
                        socket.close();
                    }
                }
                await().atMost(TIMEOUT)
                        .until(() -> get(base, "/health/live", null).statusCode() == 200);
            } finally {
                for (Socket stream : streams) {
                    stream.close();
                }
            }
            assertEquals(0, serve.terminate(TIMEOUT), "SIGTERM is a clean stop: " + serve.output());
            assertTrue(serve.output().contains("refused with 503"), serve.output());
        }
    }

    /**
     * The viewer's live event streams ({@code GET /events}, one per open page, held open as long as the page is) count
     * against {@code --max-streams} with the replay streams, and one beyond is answered 503 with {@code Retry-After} as
     * theirs are: before, they were not counted, so a few hundred open pages took the connections the JDK's cap keeps
     * above the streams (256), and then every new connection, the probes' too, was refused without a word. The pages,
     * the JSON answers, the probes and the metrics are never refused.
     */
    @Test
    void viewerEventStreamsCountAgainstMaxStreams(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("serve-events");
        broker.createTopic(topic, 1);
        Path dir = Files.createDirectories(Path.of("target", "serve-it"));
        int port = freePort();
        URI base = URI.create("http://127.0.0.1:" + port);
        try (ChildRecorder serve = ChildRecorder.start(
                ConsumerCli.class,
                List.of(
                        "--bootstrap-servers",
                        broker.bootstrapServers(),
                        "--topic",
                        topic,
                        "serve",
                        "--port",
                        Integer.toString(port),
                        "--max-streams",
                        "2"),
                dir.resolve(topic + ".log"))) {
            serve.awaitOutput("run viewer: " + base + "/", TIMEOUT);
            await().atMost(TIMEOUT).until(() -> get(base, "/health/ready", null).statusCode() == 200);

            List<Socket> pages = List.of(openEvents(port, "/events"), openEvents(port, "/events?run=run-1"));
            try {
                HttpResponse<InputStream> third = http.send(
                        HttpRequest.newBuilder(base.resolve("/events"))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                third.body().close(); // a stream, before: not read to its end
                assertEquals(503, third.statusCode(), "a third live page's event stream with --max-streams 2");
                assertEquals("1", third.headers().firstValue("Retry-After").orElse(null));
                HttpResponse<String> stream = http.send(
                        HttpRequest.newBuilder(base.resolve("/v1/runs/run-1/stream"))
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString(UTF_8));
                assertEquals(503, stream.statusCode(), "a replayed stream while two pages are open");

                assertEquals(200, get(base, "/", null).statusCode(), "pages are never refused");
                assertEquals(200, get(base, "/v1/runs/", null).statusCode(), "JSON answers are not either");
                assertEquals(200, get(base, "/health/live", null).statusCode());
                HttpResponse<String> metrics = get(base, "/metrics", null);
                assertTrue(metrics.body().contains("lsr_replay_streams_open 2.0"), metrics.body());
                assertTrue(metrics.body().contains("lsr_replay_streams_refused_total 2.0"), metrics.body());
            } finally {
                for (Socket page : pages) {
                    page.close();
                }
            }
            await("the closed pages' streams end (at their next keepalive, 15 s)")
                    .atMost(TIMEOUT)
                    .until(() -> get(base, "/metrics", null).body().contains("lsr_replay_streams_open 0.0"));
            assertEquals(0, serve.terminate(TIMEOUT), "SIGTERM is a clean stop: " + serve.output());
        }
    }

    /**
     * {@code --write-timeout} bounds the viewer's writes as it does the replay server's: a client that asks for a large
     * run page and reads nothing is let go after it, its connection closed, and counted on {@code /metrics}. Before,
     * the viewer's was 60 s whatever the server's was, and a stalled answer (a page, a JSON answer) was logged only.
     */
    @Test
    void theWriteTimeoutBoundsTheViewersPages(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("serve-write-timeout");
        broker.createTopic(topic, 1);
        String runId = "run-serve-wt-0000-4000-8000-000000000001";
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            producer.append(padded(FixtureLog.of("01-simple-reply").runId(runId).records()));
        }
        Path dir = Files.createDirectories(Path.of("target", "serve-it"));
        int port = freePort();
        URI base = URI.create("http://127.0.0.1:" + port);
        try (ChildRecorder serve = ChildRecorder.start(
                ConsumerCli.class,
                List.of(
                        "--bootstrap-servers",
                        broker.bootstrapServers(),
                        "--topic",
                        topic,
                        "serve",
                        "--port",
                        Integer.toString(port),
                        "--write-timeout",
                        "1s"),
                dir.resolve(topic + ".log"))) {
            serve.awaitOutput("run viewer: " + base + "/", TIMEOUT);
            await().atMost(TIMEOUT).until(() -> get(base, "/", null).body().contains(runId));

            try (Socket socket = new Socket()) {
                socket.setReceiveBufferSize(4096);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                socket.getOutputStream()
                        .write(("GET /runs/" + runId + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(UTF_8));
                Thread.sleep(Duration.ofSeconds(20)); // the page rendered, its writes blocked, 1 s past
                assertTrue(
                        closedWithin(socket, Duration.ofSeconds(10)),
                        "the run page's never-reading client still connected 20 s after its request, with"
                                + " --write-timeout 1s");
            }
            await().atMost(TIMEOUT).until(() -> serve.output().contains("read nothing of its answer"));
            HttpResponse<String> metrics = get(base, "/metrics", null);
            assertTrue(
                    metrics.body().contains("lsr_replay_answers_stalled_total 1.0"),
                    "the stalled page counted: " + metrics.body());
            assertEquals(0, serve.terminate(TIMEOUT), "SIGTERM is a clean stop: " + serve.output());
        }
    }

    /** The run with each assistant chunk 200 KB longer: its page (about 7.6 MB) is far more than socket buffers take. */
    private static List<ChunkLogRecord> padded(List<ChunkLogRecord> records) {
        String pad = "x".repeat(200 * 1024);
        return records.stream()
                .map(r -> !r.valueText().contains("\"assistant_message\"")
                        ? r
                        : new ChunkLogRecord(
                                r.envelope(),
                                r.valueText()
                                        .replaceFirst("\"content\":\"", "\"content\":\"" + pad)
                                        .getBytes(UTF_8)))
                .toList();
    }

    /** Whether the server ends the connection (end of stream or reset) within {@code time}, what it sent read. */
    private static boolean closedWithin(Socket socket, Duration time) throws IOException {
        long until = System.nanoTime() + time.toNanos();
        byte[] buffer = new byte[65536];
        try {
            while (System.nanoTime() < until) {
                socket.setSoTimeout((int) Math.max(1, (until - System.nanoTime()) / 1_000_000));
                if (socket.getInputStream().read(buffer) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** A live page's event stream over a raw socket, read up to its first comment; the socket holds it open. */
    private static Socket openEvents(int port, String path) throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(UTF_8));
        StringBuilder received = new StringBuilder();
        byte[] chunk = new byte[4096];
        while (!received.toString().contains(": connected")) {
            int n = socket.getInputStream().read(chunk);
            assertTrue(n >= 0, "the event stream ended early: " + received);
            received.append(new String(chunk, 0, n, UTF_8));
        }
        assertTrue(received.toString().startsWith("HTTP/1.1 200"), received.toString());
        return socket;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A stream over a raw socket, read up to its first frame; the socket holds it open. */
    private static Socket openStream(int port, String runId) throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        socket.getOutputStream()
                .write(("POST /v1/runs/" + runId + "/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(UTF_8));
        StringBuilder received = new StringBuilder();
        byte[] chunk = new byte[4096];
        while (!received.toString().contains("\"seq_id\":")) {
            int n = socket.getInputStream().read(chunk);
            assertTrue(n >= 0, "the stream ended early: " + received);
            received.append(new String(chunk, 0, n, UTF_8));
        }
        assertTrue(received.toString().startsWith("HTTP/1.1 200"), received.toString());
        return socket;
    }

    /** How many of the sockets the server closed within 3 s (end of stream or reset), read at once in parallel. */
    private static int closedByTheServer(List<Socket> sockets) throws Exception {
        try (ExecutorService reads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> closed = new ArrayList<>();
            for (Socket socket : sockets) {
                closed.add(reads.submit(() -> {
                    socket.setSoTimeout(3_000);
                    try {
                        return socket.getInputStream().read() == -1;
                    } catch (SocketTimeoutException open) {
                        return false;
                    } catch (IOException reset) {
                        return true;
                    }
                }));
            }
            int count = 0;
            for (Future<Boolean> one : closed) {
                count += one.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            return count;
        }
    }

    private HttpResponse<String> get(URI base, String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
    }
}
