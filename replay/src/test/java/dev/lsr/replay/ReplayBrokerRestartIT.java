package dev.lsr.replay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.EmbeddedKafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away under a running replay server for longer than the server's metadata timeout and
 * comes back on the same port and data dir over a slow link: the run index then cannot validate its
 * positions against the restarted broker's new leader epochs within that timeout (Kafka's consumer
 * throws a TimeoutException from {@code position}), retries, and follows the log again. A run recorded
 * after the restart is found, a client tailing a live run across the outage receives the run's remaining
 * frames and its end, and the readiness probe says "not following" meanwhile and is ready again after.
 *
 * <p>The stop alone does not make the consumer throw: positions it holds stay valid while the broker is
 * away, and a broker that is back answers the validation at once. The slow link (clients' requests reach
 * the broker {@link #SLOW_LINK} late, longer than the metadata timeout) is what a congested network or an
 * overloaded broker after a restart looks like. Uses its own embedded broker (the shared test broker must
 * never restart), as the recorder's BrokerOutageIT and the app's FleetIT do; clients reach it through the
 * proxy, which the broker advertises.
 */
class ReplayBrokerRestartIT {

    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration OUTAGE = METADATA_TIMEOUT.multipliedBy(2);
    private static final Duration SLOW_LINK = METADATA_TIMEOUT.multipliedBy(2);
    private static final Duration RECOVERY = Duration.ofSeconds(60);
    private static final String LIVE = "run-live-3f7a0c11";
    private static final String AFTER = "run-after-restart-9b2e";

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theIndexFollowsTheLogAgainAfterTheBrokerRestarts() throws Exception {
        int port = freePort();
        SlowLinkProxy link = new SlowLinkProxy(port);
        EmbeddedKafkaBroker broker = broker(port, link);
        String topic = "replay-restart";
        ReplayServer server = null;
        try {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(2), Optional.empty())))
                        .all()
                        .get(60, TimeUnit.SECONDS);
            }
            List<ChunkLogRecord> live = FixtureLog.of("01-simple-reply")
                    .runId(LIVE)
                    .agent("agent-live")
                    .records();
            int half = live.size() / 2;
            try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
                producer.append(FixtureLog.of("02-tool-call-two-steps").records());
                producer.append(live.subList(0, half));
            }
            server = ReplayServer.builder()
                    .clientProperties(
                            Map.of("bootstrap.servers", broker.bootstrapServers(), "reconnect.backoff.max.ms", 500))
                    .topic(topic)
                    .port(0)
                    .keepalive(Duration.ofMillis(300))
                    .metadataTimeout(METADATA_TIMEOUT)
                    .start();
            assertTrue(server.awaitIndexed(Duration.ofSeconds(60)), "indexed");
            assertNull(server.notReadyReason());

            // a client tails the live run up to its live end (a keepalive ping after the last stored seq)
            HttpResponse<InputStream> response = http.sendAsync(
                            stream(server, LIVE), HttpResponse.BodyHandlers.ofInputStream())
                    .get(30, TimeUnit.SECONDS);
            InputStream body = response.body();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            SseText.readUntil(body, received, "\"is_err\":null,\"seq_id\":" + (half - 1));

            broker.close();
            Thread.sleep(OUTAGE.toMillis()); // longer than the index's metadata timeout
            link.latency(SLOW_LINK);
            broker = broker(port, link);
            ReplayServer running = server;
            await("the index notices it cannot read").atMost(RECOVERY).until(() -> running.notReadyReason() != null);
            String duringOutage = server.notReadyReason();
            link.latency(Duration.ZERO);

            try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
                producer.append(FixtureLog.of("01-simple-reply")
                        .runId(AFTER)
                        .agent("agent-after")
                        .records());
                producer.append(live.subList(half, live.size()));
            }
            await("the run recorded after the restart is indexed (readiness: " + duringOutage + ")")
                    .atMost(RECOVERY)
                    .until(() -> running.indexedRuns() == 3);
            assertEquals(200, get(server, "/v1/runs/" + AFTER).statusCode());
            await("ready again").atMost(RECOVERY).until(() -> running.notReadyReason() == null);

            CompletableFuture<byte[]> rest = CompletableFuture.supplyAsync(() -> {
                try {
                    return body.readAllBytes();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            received.write(rest.get(RECOVERY.toSeconds(), TimeUnit.SECONDS));
            String expected = new String(LettaFixtures.sseBody("01-simple-reply"), UTF_8)
                    .replace(FixtureLog.originalRunId("01-simple-reply"), LIVE);
            assertEquals(expected, SseText.withoutKeepalives(received.toString(UTF_8)), "the live client's body");

            // the position lookup's timeout, or on a loaded machine the metadata fetch's before it (seen in CI)
            assertTrue(
                    duringOutage.startsWith("not following the log since ")
                            && (duringOutage.contains(
                                            "(TimeoutException: Timeout of 2000ms expired before the position")
                                    || duringOutage.contains(
                                            "(TimeoutException: Timeout expired while fetching topic metadata")),
                    duringOutage);
            // one outage, or two on a loaded machine: a read may get through between the broker's start and the slow
            // link's first timeout (seen in a full verify beside other builds); each is reported once
            assertTrue(
                    server.indexOutages() >= 1 && server.indexOutages() <= 2,
                    "one outage (two when a read got through in between): " + server.indexOutages());
            assertTrue(server.indexFailedReads() >= 1);
        } finally {
            if (server != null) {
                server.close();
            }
            broker.close();
            link.close();
        }
    }

    /** A broker on {@code port} and {@code dataDir} that tells clients to connect through {@code link}. */
    private EmbeddedKafkaBroker broker(int port, SlowLinkProxy link) {
        return EmbeddedKafkaBroker.builder()
                .dataDir(dataDir)
                .port(port)
                .brokerProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + link.port())
                .start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static HttpRequest stream(ReplayServer server, String runId) {
        return HttpRequest.newBuilder(server.baseUrl().resolve("/v1/runs/" + runId + "/stream"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
    }

    private HttpResponse<byte[]> get(ReplayServer server, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(server.baseUrl().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
