package dev.lsr.replay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.EnvelopeHeaders;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records that name a run but do not belong to its log: written by hand to another partition of the topic, or with
 * no key (the recorder keys every record by its run id, so a run's records are all in one partition). The index
 * leaves them out and counts them; before, it filed them under the run: a foreign terminal record ended the run,
 * and its offset, from another partition, cut the run's stream short.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StrayRecordIT {

    private static final String FIXTURE = "01-simple-reply";
    private static final int PARTITIONS = 2;

    @Test
    void recordsOfARunOutsideItsPartitionDoNotChangeItsStream(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("stray");
        broker.createTopic(topic, PARTITIONS);
        List<ChunkLogRecord> records = FixtureLog.of(FIXTURE).records();
        String run = records.getFirst().runId();
        int other = (TopicConventions.partitionFor(run, PARTITIONS) + 1) % PARTITIONS;
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            // the other partition first holds records of other runs, so a stray offset there is far above the run's
            List<ChunkLogRecord> filler = new ArrayList<>();
            for (String fixture : List.of("05-long-run-with-pings", "02-tool-call-two-steps")) {
                FixtureLog.of(fixture).records().stream()
                        .filter(r -> TopicConventions.partitionFor(r.runId(), PARTITIONS) == other)
                        .forEach(filler::add);
            }
            producer.append(filler);
            producer.append(records.subList(0, records.size() / 2));
            ChunkLogRecord terminal = records.getLast();
            ChunkLogRecord chunk = records.get(records.size() / 2);
            producer.appendRaw(List.of(
                    new ProducerRecord<byte[], byte[]>(
                            topic,
                            other,
                            (Long) null,
                            run.getBytes(UTF_8),
                            terminal.value(),
                            EnvelopeHeaders.write(terminal.envelope())),
                    new ProducerRecord<byte[], byte[]>(
                            topic,
                            TopicConventions.partitionFor(run, PARTITIONS),
                            (Long) null,
                            null,
                            chunk.value(),
                            EnvelopeHeaders.write(chunk.envelope()))));
            producer.append(records.subList(records.size() / 2, records.size()));
        }

        try (ReplayServer server = ReplayServer.builder()
                .clientProperties(Map.of("bootstrap.servers", broker.bootstrapServers()))
                .topic(topic)
                .port(0)
                .start()) {
            assertTrue(server.awaitIndexed(Duration.ofSeconds(60)), "indexed");
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(server.baseUrl().resolve("/v1/runs/" + run + "/stream"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertEquals(200, response.statusCode(), response.body());
            assertEquals(SseText.withoutKeepalives(new String(LettaFixtures.sseBody(FIXTURE), UTF_8)), response.body());
        }
    }

    /**
     * The stray record indexed first, for certain: it is in the log before the server starts, the run's own records
     * come after the index is ready. The run's {@code run.attached} moves it to its partition.
     */
    @Test
    void aStrayRecordIndexedBeforeTheRunsLogDoesNotTakeTheRun(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("stray-first");
        broker.createTopic(topic, PARTITIONS);
        List<ChunkLogRecord> records = FixtureLog.of(FIXTURE).records();
        String run = records.getFirst().runId();
        int other = (TopicConventions.partitionFor(run, PARTITIONS) + 1) % PARTITIONS;
        ChunkLogRecord terminal = records.getLast();
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic);
                ReplayServer server = ReplayServer.builder()
                        .clientProperties(Map.of("bootstrap.servers", broker.bootstrapServers()))
                        .topic(topic)
                        .port(0)
                        .start()) {
            producer.appendRaw(List.of(new ProducerRecord<byte[], byte[]>(
                    topic,
                    other,
                    (Long) null,
                    run.getBytes(UTF_8),
                    terminal.value(),
                    EnvelopeHeaders.write(terminal.envelope()))));
            assertTrue(server.awaitIndexed(Duration.ofSeconds(60)), "indexed");
            HttpClient http = HttpClient.newHttpClient();
            org.awaitility.Awaitility.await("the stray record is indexed")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> http.send(
                                            HttpRequest.newBuilder(
                                                            server.baseUrl().resolve("/v1/runs/" + run))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .statusCode()
                            == 200);

            producer.append(records);

            org.awaitility.Awaitility.await("the run's own log is served")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> stream(http, server, run)
                            .equals(SseText.withoutKeepalives(new String(LettaFixtures.sseBody(FIXTURE), UTF_8))));
        }
    }

    private static String stream(HttpClient http, ReplayServer server, String run) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(server.baseUrl().resolve("/v1/runs/" + run + "/stream"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
