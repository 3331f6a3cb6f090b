package dev.lsr.replay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chunk topic deleted under a running replay server: Kafka's consumer raises no error for it (it keeps
 * asking for the topic's metadata), so without a check of its own the server stayed ready while it read
 * nothing. The index notices, stops following the log, the readiness probe says why, and a stream
 * request is answered 410: the run's frames are no longer in the log.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ReplayTopicDeletedIT {

    private static final String RUN_01 = FixtureLog.originalRunId("01-simple-reply");

    @Test
    void aDeletedTopicStopsTheIndexAndItsRunsAreGone(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("replay-deleted");
        kafka.createTopic(topic, 1);
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(FixtureLog.of("01-simple-reply").agent("agent-01").records());
        }
        try (ReplayServer server = ReplayServer.builder()
                .clientProperties(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .topic(topic)
                .port(0)
                .start()) {
            assertTrue(server.awaitIndexed(Duration.ofSeconds(60)), "indexed");
            assertNull(server.notReadyReason());

            kafka.admin().deleteTopics(List.of(topic)).all().get();

            await().atMost(Duration.ofSeconds(60))
                    .until(() ->
                            String.valueOf(server.notReadyReason()).contains("topic " + topic + " no longer exists"));
            HttpResponse<String> stream = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(server.baseUrl().resolve("/v1/runs/" + RUN_01 + "/stream"))
                                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                    .timeout(Duration.ofSeconds(30))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(410, stream.statusCode(), stream.body());
        }
    }
}
