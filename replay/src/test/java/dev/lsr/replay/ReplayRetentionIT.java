package dev.lsr.replay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.RecordType;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run whose first records were deleted from the chunk topic (a finite {@code retention.ms}, or
 * {@code deleteRecords}) cannot be replayed whole: its stream answers 410 before any body, as Letta
 * answers a run it no longer keeps, instead of a stream that silently starts in the middle. A resume
 * after the deleted frames is still served exactly, and other runs are not affected.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ReplayRetentionIT {

    private static final String RUN_05 = "run-4ca67353-d824-444b-81c1-56cf264ca243";
    private static final String RUN_01 = FixtureLog.originalRunId("01-simple-reply");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aRunWhoseBeginningWasDeletedBeforeTheServerStartedIsGoneExceptAfterTheDeletedFrames(KafkaBroker kafka)
            throws Exception {
        String topic = kafka.uniqueTopic("replay-retention");
        kafka.createTopic(topic, 1);
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(
                    FixtureLog.of("05-long-run-with-pings").agent("agent-05").records());
            producer.append(FixtureLog.of("01-simple-reply").agent("agent-01").records());
        }
        kafka.deleteRecordsBefore(topic, 0, offsetOfFirstFrameAfter(kafka, topic, RUN_05, 150));

        try (ReplayServer server = start(kafka, topic)) {
            HttpResponse<byte[]> fromTheStart = stream(server, RUN_05, "{}");
            assertEquals(410, fromTheStart.statusCode(), new String(fromTheStart.body(), UTF_8));
            String detail = MAPPER.readTree(fromTheStart.body()).get("detail").asText();
            assertTrue(detail.contains(RUN_05) && detail.contains("no longer in the log"), detail);
            assertEquals(
                    410, stream(server, RUN_05, "{\"starting_after\": 149}").statusCode());

            HttpResponse<byte[]> afterTheDeleted = stream(server, RUN_05, "{\"starting_after\": 150}");
            assertEquals(200, afterTheDeleted.statusCode());
            assertEquals(
                    new String(LettaFixtures.sseBody("07b-resume-replay-after-150"), UTF_8),
                    new String(afterTheDeleted.body(), UTF_8));

            HttpResponse<byte[]> whole = stream(server, RUN_01, "{}");
            assertEquals(200, whole.statusCode());
            assertEquals(
                    SseText.withoutKeepalives(new String(LettaFixtures.sseBody("01-simple-reply"), UTF_8)),
                    new String(whole.body(), UTF_8));
        }
    }

    @Test
    void aRunWhoseBeginningIsDeletedWhileTheServerRunsIsGone(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("replay-retention-live");
        kafka.createTopic(topic, 1);
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic);
                ReplayServer server = start(kafka, topic)) {
            long run01Starts = appendAndAwaitServed(producer, kafka, topic, server);

            kafka.deleteRecordsBefore(topic, 0, run01Starts);

            HttpResponse<byte[]> deleted = stream(server, RUN_05, "{}");
            assertEquals(410, deleted.statusCode(), new String(deleted.body(), UTF_8));
            assertEquals(
                    SseText.withoutKeepalives(new String(LettaFixtures.sseBody("01-simple-reply"), UTF_8)),
                    new String(stream(server, RUN_01, "{}").body(), UTF_8));
        }
    }

    @Test
    void aRunWhoseBeginningIsDeletedWhileTheServerRunsIsStillServedAfterTheDeletedFrames(KafkaBroker kafka)
            throws Exception {
        String topic = kafka.uniqueTopic("replay-retention-resume");
        kafka.createTopic(topic, 1);
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic);
                ReplayServer server = start(kafka, topic)) {
            appendAndAwaitServed(producer, kafka, topic, server);

            kafka.deleteRecordsBefore(topic, 0, offsetOfFirstFrameAfter(kafka, topic, RUN_05, 150));

            assertEquals(410, stream(server, RUN_05, "{}").statusCode(), "the deleted frames are asked for");
            assertEquals(
                    410, stream(server, RUN_05, "{\"starting_after\": 149}").statusCode(), "frame 150 is gone");
            HttpResponse<byte[]> afterTheDeleted = stream(server, RUN_05, "{\"starting_after\": 150}");
            assertEquals(200, afterTheDeleted.statusCode(), new String(afterTheDeleted.body(), UTF_8));
            assertEquals(
                    new String(LettaFixtures.sseBody("07b-resume-replay-after-150"), UTF_8),
                    new String(afterTheDeleted.body(), UTF_8),
                    "a resume after the deleted frames gets every frame after them, as from Letta");
        }
    }

    /**
     * Appends fixtures 05 then 01 while the server runs and waits until it serves both whole; returns the offset of
     * run 01's first record (everything before it is run 05's).
     */
    private long appendAndAwaitServed(ChunkLogProducer producer, KafkaBroker kafka, String topic, ReplayServer server)
            throws Exception {
        producer.append(
                FixtureLog.of("05-long-run-with-pings").agent("agent-05").records());
        producer.append(FixtureLog.of("01-simple-reply").agent("agent-01").records());
        long run01Starts = offsetOfFirstRecord(kafka, topic, RUN_01);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> stream(server, RUN_01, "{}").statusCode() == 200);
        assertEquals(200, stream(server, RUN_05, "{}").statusCode(), "before the deletion");
        return run01Starts;
    }

    private static ReplayServer start(KafkaBroker kafka, String topic) throws InterruptedException {
        ReplayServer server = ReplayServer.builder()
                .clientProperties(Map.of("bootstrap.servers", kafka.bootstrapServers()))
                .topic(topic)
                .port(0)
                .keepalive(Duration.ofMillis(300))
                .start();
        assertTrue(server.awaitIndexed(Duration.ofSeconds(60)), "indexed");
        return server;
    }

    private HttpResponse<byte[]> stream(ReplayServer server, String runId, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(server.baseUrl().resolve("/v1/runs/" + runId + "/stream"))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The offset of the run's first chunk whose frame number is above {@code frame}. */
    private static long offsetOfFirstFrameAfter(KafkaBroker kafka, String topic, String runId, long frame) {
        return firstOffset(
                kafka,
                topic,
                runId,
                record -> record.type() == RecordType.CHUNK && record.position().number() > frame);
    }

    private static long offsetOfFirstRecord(KafkaBroker kafka, String topic, String runId) {
        return firstOffset(kafka, topic, runId, record -> true);
    }

    private static long firstOffset(
            KafkaBroker kafka, String topic, String runId, java.util.function.Predicate<ChunkLogRecord> wanted) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "isolation.level", "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<byte[], byte[]> consumed : consumer.poll(Duration.ofMillis(500))) {
                    ChunkLogRecord record = ChunkLogRecord.fromConsumerRecord(consumed);
                    if (record.runId().equals(runId) && wanted.test(record)) {
                        return consumed.offset();
                    }
                }
            }
        }
        throw new AssertionError("no such record of " + runId + " in " + topic);
    }
}
