package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.lsr.consumer.testing.BeforePoll;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.kernel.LogReaders;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run still being recorded, on a server whose index stopped following the log for good (here: the
 * broker refuses the index's reads, as when an ACL is revoked): a resume from a frame the index has is
 * served up to the last frame indexed; a resume from there is answered 503 before any body, instead of
 * an empty 200 that brings the client straight back.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ReplayIndexStoppedIT {

    private static final String RUN_05 = "run-4ca67353-d824-444b-81c1-56cf264ca243";
    private static final long LAST_FRAME_05 = 382; // usage_statistics; [DONE] would be 383

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aLiveRunIsServedUpToItsLastIndexedFrameThenAnswered503(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("replay-index-stopped");
        kafka.createTopic(topic, 1);
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(FixtureLog.of("05-long-run-with-pings")
                    .agent("agent-05")
                    .unfinished()
                    .records());
        }
        Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        AtomicBoolean refused = new AtomicBoolean();
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        try (RunIndex index = new RunIndex(
                        BeforePoll.runs(new KafkaConsumer<>(LogReaders.properties(client)), () -> {
                            if (refused.get()) {
                                throw new TopicAuthorizationException("authorization revoked (test)");
                            }
                        }),
                        topic,
                        Duration.ofSeconds(10));
                ConsumerPool pool = new ConsumerPool(client, 2)) {
            server.createContext(
                    "/v1/runs",
                    new RunsHandler(
                            index,
                            new RunStreamer(index, pool, Duration.ofMillis(300), Clock.systemUTC()),
                            exchange -> exchange.sendResponseHeaders(404, -1),
                            Duration.ofSeconds(30),
                            Duration.ofSeconds(60)));
            server.setExecutor(executor);
            server.start();
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            index.start();
            assertTrue(index.awaitReady(Duration.ofSeconds(30)), "indexed");

            refused.set(true);
            await().atMost(Duration.ofSeconds(30)).until(() -> index.failure() != null);

            HttpResponse<String> fromAFrameItHas = stream(base, "{\"starting_after\": 150, \"include_pings\": false}");
            assertEquals(200, fromAFrameItHas.statusCode());
            String resumed = new String(LettaFixtures.sseBody("07b-resume-replay-after-150"), UTF_8);
            assertEquals(resumed.substring(0, resumed.lastIndexOf("data: [DONE]")), fromAFrameItHas.body());

            HttpResponse<String> fromTheFrameBeforeItsLast =
                    stream(base, "{\"starting_after\": " + (LAST_FRAME_05 - 1) + ", \"include_pings\": false}");
            assertEquals(200, fromTheFrameBeforeItsLast.statusCode());
            assertTrue(
                    fromTheFrameBeforeItsLast.body().startsWith("data: {\"message_type\":\"usage_statistics\"")
                            && fromTheFrameBeforeItsLast.body().indexOf("data: ")
                                    == fromTheFrameBeforeItsLast.body().lastIndexOf("data: "),
                    "one frame, the last indexed: " + fromTheFrameBeforeItsLast.body());

            HttpResponse<String> fromItsLastFrame =
                    stream(base, "{\"starting_after\": " + LAST_FRAME_05 + ", \"include_pings\": false}");
            assertEquals(503, fromItsLastFrame.statusCode(), fromItsLastFrame.body());
            assertTrue(fromItsLastFrame.body().contains("stopped following the log"), fromItsLastFrame.body());
        } finally {
            server.stop(0);
            executor.close();
        }
    }

    private HttpResponse<String> stream(URI base, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(base.resolve("/v1/runs/" + RUN_05 + "/stream"))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
