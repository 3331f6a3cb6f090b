package dev.lsr.consumer.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import dev.lsr.consumer.projection.summary.RunSummary;
import dev.lsr.consumer.projection.summary.RunSummaryFold;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.consumer.testing.SummaryTopicReader;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records of the chunk topic deleted (a finite {@code retention.ms}, {@code deleteRecords}) while the
 * analytics job was stopped, past the offset its group had committed: the job goes on from the partition's
 * new start and counts every offset it never read as a problem. With Kafka's {@code earliest} reset it went
 * on from the same place, but said nothing: the job's stats showed no problem, and the runs whose chunks
 * it never saw were simply missing from the summaries. A fresh group still reads from the log's start.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AnalyticsJobRetentionIT {

    @Test
    void aJobRestartedBehindADeletionCountsTheOffsetsItNeverRead(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("analytics-retention");
        kafka.createTopic(topic, 1);
        AnalyticsConfig config = AnalyticsConfig.defaults(topic).withGroup(kafka.uniqueId("analytics-retention"), "0");
        KafkaClientSettings settings =
                new KafkaClientSettings(kafka.bootstrapServers(), Map.of(), Duration.ofSeconds(30));
        List<ChunkLogRecord> kept =
                FixtureLog.of("02-tool-call-two-steps").runId("run-kept").records();
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(FixtureLog.of("01-simple-reply").runId("run-read").records());
        }
        AnalyticsJob.Stats first = runUntilCaughtUp(config, settings);
        assertEquals(0, first.problems(), "a fresh group reads the log from its start: " + first);

        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(
                    FixtureLog.of("01-simple-reply").runId("run-deleted").records());
        }
        long deletedBefore = endOffset(kafka, topic);
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(kept);
        }
        long committed = committedOffset(kafka, config.groupId(), topic);
        kafka.deleteRecordsBefore(topic, 0, deletedBefore);

        AnalyticsJob.Stats second = runUntilCaughtUp(config, settings);
        assertEquals(
                deletedBefore - committed,
                second.problems(),
                "every offset deleted before the job read it is a problem (committed " + committed + ", deleted before "
                        + deletedBefore + "): " + second);
        Map<String, RunSummary> summaries =
                SummaryTopicReader.latest(kafka.bootstrapServers(), TopicConventions.summaryTopic(topic));
        assertEquals(
                List.of("run-kept", "run-read"),
                summaries.keySet().stream().sorted().toList());
        assertEquals(kept.size(), second.records(), "every record still in the log is read: " + second);
    }

    private static AnalyticsJob.Stats runUntilCaughtUp(AnalyticsConfig config, KafkaClientSettings settings)
            throws InterruptedException {
        AnalyticsJob<RunSummaryFold> job = new AnalyticsJob<>(config, settings, new SummaryRunFold());
        Thread thread = Thread.ofPlatform().name("analytics-retention-job").start(job);
        try {
            assertTrue(job.awaitCaughtUp(Duration.ofSeconds(120)), job.stats().toString());
            return job.stats();
        } finally {
            job.close();
            thread.join(30_000);
        }
    }

    private static long endOffset(KafkaBroker kafka, String topic) {
        return SummaryTopicReader.endOffsets(kafka.bootstrapServers(), topic).get(new TopicPartition(topic, 0));
    }

    private static long committedOffset(KafkaBroker kafka, String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .get(new TopicPartition(topic, 0))
                    .offset();
        }
    }
}
