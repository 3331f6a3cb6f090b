package dev.lsr.consumer.analytics.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.TopicConventions;
import dev.lsr.consumer.analytics.AnalyticsConfig;
import dev.lsr.consumer.analytics.AnalyticsJob;
import dev.lsr.consumer.analytics.SummaryRunFold;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import dev.lsr.consumer.projection.summary.RunSummaryFold;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.consumer.testing.SummaryTopicReader;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.kernel.LifecycleState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewPartitions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Partitions added to the chunk topic while the job runs ({@code kafka-topics --alter --partitions}): the group
 * assigns the new ones, and the job restored each from the summary partition of the same number, which the summary
 * topic (created with the chunk topic's old count) did not have. The restore retried that for ever inside the
 * rebalance callback, taken for a broker outage: the instance stopped summarising every partition, the old ones
 * too. The summary topic now grows with the chunk topic.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AddedChunkPartitionsIT {

    @Test
    void theJobGoesOnAfterChunkPartitionsWereAdded(KafkaBroker kafka) throws Exception {
        // the group sees the new partitions at its next metadata refresh (5 min by default)
        KafkaClientSettings settings = new KafkaClientSettings(
                kafka.bootstrapServers(), Map.of("metadata.max.age.ms", "500"), Duration.ofSeconds(30));
        String topic = kafka.uniqueTopic("grown");
        String summaryTopic = TopicConventions.summaryTopic(topic);
        kafka.createTopic(topic, 1);
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(FixtureLog.of("01-simple-reply").runId("run-a").records());
        }
        String group = kafka.uniqueId("grown");
        AnalyticsJob<RunSummaryFold> job = new AnalyticsJob<>(
                AnalyticsConfig.defaults(topic).withGroup(group, "0"), settings, new SummaryRunFold());
        Thread thread = Thread.ofPlatform().name("grown-job").start(job);
        try {
            assertTrue(job.awaitCaughtUp(Duration.ofSeconds(60)), "caught up before: " + job.stats());

            kafka.admin()
                    .createPartitions(Map.of(topic, NewPartitions.increaseTo(2)))
                    .all()
                    .get();
            await("the group assigns the new partition")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> assignedPartitions(kafka, group) == 2);
            // a run of the old partition, which its id hashes to with either count
            String runId = runIdIn(0);
            try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
                producer.appendRaw(FixtureLog.of("01-simple-reply").runId(runId).records().stream()
                        .map(r -> r.toProducerRecord(topic, 0))
                        .toList());
            }
            await("the run appended after the change is summarised")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> SummaryTopicReader.latest(kafka.bootstrapServers(), summaryTopic)
                            .containsKey(runId));
            assertEquals(LifecycleState.RUNNING, job.state());
            assertEquals(
                    2,
                    kafka.admin()
                            .describeTopics(List.of(summaryTopic))
                            .allTopicNames()
                            .get()
                            .get(summaryTopic)
                            .partitions()
                            .size(),
                    "the summary topic grew with the chunk topic");
        } finally {
            job.close();
            thread.join(30_000);
        }
    }

    @Test
    void theJobStartsAfterChunkPartitionsWereAddedWhileItWasStopped(KafkaBroker kafka) throws Exception {
        KafkaClientSettings settings =
                new KafkaClientSettings(kafka.bootstrapServers(), Map.of(), Duration.ofSeconds(30));
        String topic = kafka.uniqueTopic("grown-stopped");
        kafka.createTopic(topic, 1);
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(FixtureLog.of("01-simple-reply").runId("run-a").records());
        }
        AnalyticsConfig config = AnalyticsConfig.defaults(topic).withGroup(kafka.uniqueId("grown-stopped"), "0");
        SummaryJobs.runUntilCaughtUp(config, settings);

        kafka.admin()
                .createPartitions(Map.of(topic, NewPartitions.increaseTo(2)))
                .all()
                .get();
        String runId = runIdIn(0);
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.appendRaw(FixtureLog.of("01-simple-reply").runId(runId).records().stream()
                    .map(r -> r.toProducerRecord(topic, 0))
                    .toList());
        }
        SummaryJobs.runUntilCaughtUp(config, settings);

        assertTrue(SummaryTopicReader.latest(kafka.bootstrapServers(), TopicConventions.summaryTopic(topic))
                .containsKey(runId));
    }

    private static int assignedPartitions(KafkaBroker kafka, String group) throws Exception {
        return kafka.admin().describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
                .mapToInt(m -> m.assignment().topicPartitions().size())
                .sum();
    }

    /** A run id that hashes to {@code partition} with one partition and with two. */
    private static String runIdIn(int partition) {
        for (int i = 0; ; i++) {
            String runId = "run-b-" + i;
            if (TopicConventions.partitionFor(runId, 2) == partition) {
                return runId;
            }
        }
    }
}
