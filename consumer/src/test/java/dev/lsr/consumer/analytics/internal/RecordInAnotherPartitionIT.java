package dev.lsr.consumer.analytics.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.LogLayout;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.consumer.analytics.AnalyticsConfig;
import dev.lsr.consumer.analytics.AnalyticsJob;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.consumer.testing.SummaryTopicReader;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A record of a run in another chunk partition than the run's (written by hand or by another tool, or by a producer
 * hashing over a partition count changed since), in a log whose layout record gives its partition count: the job keeps
 * state per partition, and folded it into a second,
 * independent state of the run, written as a second summary under the same key in another summary partition. A
 * reader keeping the last value per key got either half. Such a record is now left out, logged with the run id and
 * counted as a problem, as the replay server's index leaves it out.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RecordInAnotherPartitionIT {

    @Test
    void aRecordInAnotherPartitionMakesNoSecondSummary(KafkaBroker kafka) throws Exception {
        KafkaClientSettings settings =
                new KafkaClientSettings(kafka.bootstrapServers(), Map.of(), Duration.ofSeconds(30));
        String topic = kafka.uniqueTopic("stray");
        kafka.createTopic(topic, 2);
        writeLayout(kafka, topic, 2);
        String runId = "run-stray";
        int home = TopicConventions.partitionFor(runId, 2);
        List<ChunkLogRecord> records =
                FixtureLog.of("01-simple-reply").runId(runId).records();
        ChunkLogRecord chunk = records.stream()
                .filter(r -> r.type() == RecordType.CHUNK)
                .findFirst()
                .orElseThrow();
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(records);
            producer.appendRaw(List.of(chunk.toProducerRecord(topic, 1 - home)));
        }
        AnalyticsConfig config = AnalyticsConfig.defaults(topic).withGroup(kafka.uniqueId("stray"), "0");
        AnalyticsJob.Stats stats = SummaryJobs.runUntilCaughtUp(config, settings);

        assertEquals(
                Map.of(home, 1),
                SummaryTopicReader.recordsPerPartition(
                        kafka.bootstrapServers(), TopicConventions.summaryTopic(topic), runId),
                "the run's summaries, per summary partition");
        assertEquals(1, stats.problems(), "the record in another partition is a problem: " + stats);
    }

    @Test
    void runsAreWhereTheLogLayoutSaysAfterPartitionsWereAdded(KafkaBroker kafka) throws Exception {
        assertSummarisedWhereItsRecordsAre(kafka, "stray-layout", true);
    }

    /**
     * Without a layout record the job does not know the log's partition count: every record is folded where it is, as
     * before (the chunk topic's count today could skip a legitimate run's records after partitions were added).
     */
    @Test
    void withoutALayoutRecordEveryRecordIsFoldedWhereItIs(KafkaBroker kafka) throws Exception {
        assertSummarisedWhereItsRecordsAre(kafka, "stray-no-layout", false);
    }

    /**
     * A run the recorder wrote to a one-partition log, whose id hashes to the other partition over two, then a second
     * partition added: the job summarises it from partition 0, with no problem.
     */
    private static void assertSummarisedWhereItsRecordsAre(KafkaBroker kafka, String name, boolean withLayout)
            throws Exception {
        KafkaClientSettings settings =
                new KafkaClientSettings(kafka.bootstrapServers(), Map.of(), Duration.ofSeconds(30));
        String topic = kafka.uniqueTopic(name);
        kafka.createTopic(topic, 1);
        if (withLayout) {
            writeLayout(kafka, topic, 1);
        }
        String runId = "run-moved-0";
        assertEquals(1, TopicConventions.partitionFor(runId, 2));
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(FixtureLog.of("01-simple-reply").runId(runId).records());
        }
        kafka.admin()
                .createPartitions(Map.of(topic, NewPartitions.increaseTo(2)))
                .all()
                .get();

        AnalyticsConfig config = AnalyticsConfig.defaults(topic).withGroup(kafka.uniqueId(name), "0");
        AnalyticsJob.Stats stats = SummaryJobs.runUntilCaughtUp(config, settings);

        assertEquals(
                Map.of(0, 1),
                SummaryTopicReader.recordsPerPartition(
                        kafka.bootstrapServers(), TopicConventions.summaryTopic(topic), runId),
                "the run's summary, from the partition its records are in");
        assertEquals(0, stats.problems(), stats.toString());
    }

    /** Writes the log's layout record (the recorder's, at its first start) for {@code partitions}. */
    private static void writeLayout(KafkaBroker kafka, String topic, int partitions) {
        String checkpoints = TopicConventions.checkpointTopic(topic);
        kafka.createTopic(checkpoints, 1);
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), checkpoints)) {
            producer.appendRaw(List.of(new ProducerRecord<>(
                    checkpoints,
                    LogLayout.PARTITION,
                    LogLayout.KEY.getBytes(UTF_8),
                    LogLayout.of(partitions, Instant.parse("2026-03-14T17:30:00Z"))
                            .toJson())));
        }
    }
}
