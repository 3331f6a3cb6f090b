package dev.lsr.replay;

import static dev.lsr.kernel.http.testing.NeverReadingClient.closedByServer;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.RecordType;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.kernel.http.StreamingHandler;
import dev.lsr.kernel.http.testing.NeverReadingClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Clients that stop reading a long stream (a laptop closed, a stuck proxy) must not hold the server's log reads: the
 * server's writes to them block, and before, each held one of the pooled Kafka consumers while it did, so
 * {@code readers} such clients made every other stream request wait without an answer until they went away.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StalledClientsIT {

    private static final String BIG_RUN = "run-big-0000-4000-8000-000000000001";
    /** About 60 KB more per chunk: fixture 05's 380 chunks make a body of ~23 MB, more than any socket buffers. */
    private static final String PAD = "x".repeat(60_000);

    @Test
    void clientsThatStopReadingDoNotHoldTheLogReadsOfTheOthers(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("stalled");
        kafka.createTopic(topic, 1);
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(padded(
                    FixtureLog.of("05-long-run-with-pings").runId(BIG_RUN).records()));
            producer.append(FixtureLog.of("01-simple-reply").records());
        }
        try (ReplayServer server = ReplayServer.builder()
                .clientProperties(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .topic(topic)
                .port(0)
                .readers(2)
                .start()) {
            assertTrue(server.awaitIndexed(Duration.ofSeconds(60)), "indexed");
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    stalled.add(streamWithoutReading(server, BIG_RUN));
                }
                Thread.sleep(3_000); // their responses fill the socket buffers; the server's writes block

                HttpClient http = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(server.baseUrl()
                                        .resolve("/v1/runs/" + FixtureLog.originalRunId("01-simple-reply") + "/stream"))
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(15))
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

                assertEquals(200, response.statusCode());
                assertTrue(response.body().contains("data: [DONE]"), response.body());
            } finally {
                for (Socket socket : stalled) {
                    socket.close();
                }
            }
        }
    }

    /**
     * A client that never reads a live run's stream (its network gone without a FIN, or a stuck reader): once the
     * socket buffers are full the server's write blocks, and before, it stayed blocked until TCP gave up (about 15
     * minutes), holding the stream's thread, its live feed and its connection. The write timeout ends it.
     */
    @Test
    void aStreamWhoseClientNeverReadsEndsAfterTheWriteTimeout(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("never-read");
        kafka.createTopic(topic, 1);
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(padded(FixtureLog.of("05-long-run-with-pings").runId(BIG_RUN).records().stream()
                    .filter(record -> record.type() != RecordType.RUN_FINISHED) // still being recorded: tailed
                    .toList()));
        }
        Duration writeTimeout = Duration.ofSeconds(2);
        try (ReplayServer server = ReplayServer.builder()
                .clientProperties(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .topic(topic)
                .port(0)
                .writeTimeout(writeTimeout)
                .start()) {
            assertTrue(server.awaitIndexed(Duration.ofSeconds(60)), "indexed");
            try (Socket socket = streamWithoutReading(server, BIG_RUN)) {
                await("the stream is open").atMost(Duration.ofSeconds(30)).until(() -> server.openStreams() == 1);

                await("the server ends the stream whose writes stay blocked")
                        .atMost(writeTimeout.plusSeconds(10))
                        .until(() -> server.openStreams() == 0);
                assertEquals(1, server.stalledStreams(), "counted");
                assertTrue(closedByServer(socket), "the server closed the connection");
            }
        }
    }

    /**
     * A mounted handler's streams (the viewer's live pages) count against the server's bound, and their stalls in its
     * {@code lsr_replay_streams_stalled_total}: before, the viewer's were logged only.
     */
    @Test
    void theStalledStreamsOfAMountedHandlerAreCountedWithTheServers(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("mounted-stalls");
        kafka.createTopic(topic, 1);
        StreamingHandler mounted = new StreamingHandler() {
            @Override
            public void handle(HttpExchange exchange) {
                exchange.close();
            }

            @Override
            public boolean streams(HttpExchange exchange) {
                return true;
            }

            @Override
            public long stalledStreams() {
                return 2; // as a viewer whose two live pages read nothing
            }
        };
        try (ReplayServer server = ReplayServer.builder()
                .clientProperties(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .topic(topic)
                .port(0)
                .start()) {
            assertEquals(0, server.stalledStreams());
            server.mount("/", mounted);
            assertEquals(2, server.stalledStreams());
        }
    }

    /**
     * Streams ended by the write timeout give their connections back. Before, the JDK server (25) never freed the slot
     * of a keep-alive connection a stall had closed, so once {@code jdk.httpserver.maxConnections} streams had stalled
     * it refused every new connection (streams, the viewer, /metrics, the probes). In a child JVM with a limit of 2:
     * the JDK reads it once per process.
     */
    @Test
    void streamsEndedByTheWriteTimeoutGiveTheirConnectionsBack(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("slots");
        kafka.createTopic(topic, 1);
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(padded(FixtureLog.of("05-long-run-with-pings").runId(BIG_RUN).records().stream()
                    .filter(record -> record.type() != RecordType.RUN_FINISHED) // still being recorded: tailed
                    .toList()));
        }
        Duration writeTimeout = Duration.ofSeconds(1);
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Djdk.httpserver.maxConnections=2",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ServeReplayUntilStdinEnds.class.getName(),
                        kafka.bootstrapServers(),
                        topic,
                        writeTimeout.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            int port = portOf(child);
            for (int round = 1; round <= 2; round++) { // 4 stalled streams with 2 connections
                List<Socket> stalled = new ArrayList<>();
                try {
                    for (int i = 0; i < 2; i++) {
                        stalled.add(streamWithoutReading(port, BIG_RUN));
                    }
                    Thread.sleep(writeTimeout.plusSeconds(3).toMillis()); // the buffers fill, the writes stall
                    for (Socket socket : stalled) {
                        assertTrue(closedByServer(socket), "round " + round + ": the server ended a stalled stream");
                    }
                } finally {
                    for (Socket socket : stalled) {
                        socket.close();
                    }
                }
            }
            HttpResponse<String> list = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/runs/"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, list.statusCode(), "a new client after 4 stalled streams");
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    private static int portOf(Process child) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("port ")) {
                return Integer.parseInt(line.substring("port ".length()).strip());
            }
        }
        throw new AssertionError("the child JVM printed no port");
    }

    /** A stream request whose response is never read, on a connection left open. */
    private static Socket streamWithoutReading(ReplayServer server, String runId) throws Exception {
        return streamWithoutReading(server.port(), runId);
    }

    private static Socket streamWithoutReading(int port, String runId) throws Exception {
        return NeverReadingClient.send(
                port,
                "POST /v1/runs/" + runId + "/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
    }

    private static List<ChunkLogRecord> padded(List<ChunkLogRecord> records) {
        List<ChunkLogRecord> padded = new ArrayList<>();
        for (ChunkLogRecord record : records) {
            if (record.type() != RecordType.CHUNK) {
                padded.add(record);
                continue;
            }
            String value = new String(record.value(), UTF_8);
            padded.add(new ChunkLogRecord(
                    record.envelope(), ("{\"pad\":\"" + PAD + "\"," + value.substring(1)).getBytes(UTF_8)));
        }
        return padded;
    }
}
