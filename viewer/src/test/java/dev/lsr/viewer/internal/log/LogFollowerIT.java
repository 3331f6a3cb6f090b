package dev.lsr.viewer.internal.log;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.LogLayout;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.viewer.model.RunCatalog;
import dev.lsr.viewer.model.RunRow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The catalog the follower keeps leaves out a record of a run in another chunk partition than the run's (its id
 * hashed over the count in the log's layout record), as the run pages, the CLI's replays and {@code consumer follow}
 * do ({@code StrayRecordIT} in app). Before, the follower folded it into the run's row on the runs page.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LogFollowerIT {

    static KafkaBroker broker;

    private static final String RUN = "run-stray";

    @Test
    void theCatalogLeavesOutARecordInAnotherPartitionThanItsRuns() {
        RunRow clean = followed(log("viewer-stray-clean", false));
        RunRow stray = followed(log("viewer-stray", true));

        assertEquals(clean, stray, "the run's row as if the stray record were not there");
    }

    /** The run's row once a follower has read the whole log into a catalog. */
    private static RunRow followed(String topic) {
        LogRuns.LogAccess access = new LogRuns.LogAccess(
                Map.of("bootstrap.servers", broker.bootstrapServers()), topic, Duration.ofSeconds(10));
        RunCatalog catalog = new RunCatalog();
        LogFollower follower = new LogFollower(access, catalog).start();
        try {
            await("the catalog read the log to its end")
                    .atMost(Duration.ofSeconds(60))
                    .until(catalog::knowsEveryRun);
            RunRow row = catalog.row(RUN);
            assertNotNull(row, "the run is in the catalog");
            return row;
        } finally {
            follower.close();
        }
    }

    private static int strayPartition() {
        return 1 - TopicConventions.partitionFor(RUN, 2);
    }

    /** A two-partition log with its layout record and fixture 01 as {@link #RUN}; with a stray chunk if asked. */
    private static String log(String name, boolean withStray) {
        String topic = broker.uniqueTopic(name);
        broker.createTopic(topic, 2);
        String checkpoints = TopicConventions.checkpointTopic(topic);
        broker.createTopic(checkpoints, 1);
        byte[] layout = LogLayout.of(2, Instant.parse("2026-03-14T17:30:00Z")).toJson();
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), checkpoints)) {
            producer.appendRaw(List.of(
                    new ProducerRecord<>(checkpoints, LogLayout.PARTITION, LogLayout.KEY.getBytes(UTF_8), layout)));
        }
        List<ChunkLogRecord> records =
                FixtureLog.of("01-simple-reply").runId(RUN).records();
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            producer.append(records);
            if (withStray) {
                Envelope at = records.stream()
                        .filter(r -> r.type() == RecordType.CHUNK)
                        .findFirst()
                        .orElseThrow()
                        .envelope();
                ChunkLogRecord stray = new ChunkLogRecord(
                        Envelope.chunk(
                                at.source(),
                                RUN,
                                Position.ofSeq(900),
                                null,
                                at.receivedAt(),
                                at.agentId(),
                                at.conversationId()),
                        ("{\"message_type\":\"assistant_message\",\"run_id\":\"" + RUN
                                        + "\",\"seq_id\":900,\"content\":\"not part of the run\"}")
                                .getBytes(UTF_8));
                producer.appendRaw(List.of(stray.toProducerRecord(topic, strayPartition())));
            }
        }
        return topic;
    }
}
