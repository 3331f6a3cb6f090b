package dev.lsr.consumer.analytics.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.consumer.analytics.AnalyticsConfig;
import dev.lsr.consumer.analytics.AnalyticsJob;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chunk topic deleted and created again under the same name, the summary topic kept: the group's committed
 * offsets went with the old topic, and the job went on from where the summary topic says its state stands
 * ({@code lsr_consumed_next_offset}), an offset of the old topic. The new topic's first records, up to there, were
 * skipped without a word. The summary topic now also says which topic that offset is of (its topic id), and the job
 * reads a topic of another id from its start, with a WARN and a problem.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RecreatedChunkTopicIT {

    @Test
    void aRecreatedChunkTopicIsReadFromItsStart(KafkaBroker kafka) throws Exception {
        KafkaClientSettings settings =
                new KafkaClientSettings(kafka.bootstrapServers(), Map.of(), Duration.ofSeconds(30));
        String topic = kafka.uniqueTopic("recreated");
        kafka.createTopic(topic, 1);
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(FixtureLog.of("01-simple-reply").runId("run-a").records());
        }
        AnalyticsConfig config = AnalyticsConfig.defaults(topic).withGroup(kafka.uniqueId("recreated"), "0");
        SummaryJobs.runUntilCaughtUp(config, settings);
        long chunks = chunkCount(kafka, topic, "run-a");

        recreate(kafka, topic);
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(FixtureLog.of("01-simple-reply").runId("run-b").records());
            producer.append(FixtureLog.of("01-simple-reply").runId("run-c").records());
        }
        AnalyticsJob.Stats stats = SummaryJobs.runUntilCaughtUp(config, settings);

        assertEquals(chunks, chunkCount(kafka, topic, "run-b"), "the new topic's first run, read from its start");
        assertEquals(chunks, chunkCount(kafka, topic, "run-c"));
        assertEquals(chunks, chunkCount(kafka, topic, "run-a"), "the old run's summary stays");
        assertEquals(1, stats.problems(), "the recreated topic is a problem, once: " + stats);
    }

    /**
     * The same, but the group's committed offsets outlived the old topic (a transaction's offset commit that raced
     * the deletion, offsets put back by a tool): the job went on from the old topic's offset in the new topic, and
     * the new topic's records below it were never summarised, without a word. Offsets of another topic id within
     * the partition are also what MirrorMaker 2 copies after a fail-over, with the states they go with, so they are
     * followed (reading from the start would fold every record twice there), but not without a word: a WARN saying
     * what to do, and a problem.
     */
    @Test
    void offsetsOfAnotherTopicIdTheGroupKeptAreFollowedAndAProblem(KafkaBroker kafka) throws Exception {
        KafkaClientSettings settings =
                new KafkaClientSettings(kafka.bootstrapServers(), Map.of(), Duration.ofSeconds(30));
        String topic = kafka.uniqueTopic("recreated-kept");
        kafka.createTopic(topic, 1);
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(FixtureLog.of("01-simple-reply").runId("run-a").records());
        }
        String group = kafka.uniqueId("recreated-kept");
        AnalyticsConfig config = AnalyticsConfig.defaults(topic).withGroup(group, "0");
        SummaryJobs.runUntilCaughtUp(config, settings);
        long chunks = chunkCount(kafka, topic, "run-a");
        Map<TopicPartition, OffsetAndMetadata> kept = kafka.admin()
                .listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get();
        assertEquals(Set.of(new TopicPartition(topic, 0)), kept.keySet(), "the group committed: " + kept);

        recreate(kafka, topic);
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(FixtureLog.of("01-simple-reply").runId("run-b").records());
            producer.append(FixtureLog.of("01-simple-reply").runId("run-c").records());
        }
        // the old topic's offsets, as the job committed them, back in the group (once the stopped member has left)
        await("the old offsets put back")
                .atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> {
                    kafka.admin().alterConsumerGroupOffsets(group, kept).all().get();
                    return true;
                });
        AnalyticsJob.Stats stats = SummaryJobs.runUntilCaughtUp(config, settings);

        assertNull(
                SummaryJobs.latest(kafka.bootstrapServers(), TopicConventions.summaryTopic(topic))
                        .get("run-b"),
                "the new topic's records below the old offset: followed, not read again");
        assertEquals(chunks, chunkCount(kafka, topic, "run-c"));
        assertEquals(chunks, chunkCount(kafka, topic, "run-a"), "the old run's summary stays");
        assertEquals(1, stats.problems(), "offsets of another topic id are a problem, once: " + stats);
    }

    private static void recreate(KafkaBroker kafka, String topic) throws Exception {
        kafka.admin().deleteTopics(List.of(topic)).all().get();
        await("the topic deleted and created again")
                .atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> {
                    kafka.createTopic(topic, 1);
                    return true;
                });
    }

    private static long chunkCount(KafkaBroker kafka, String topic, String runId) throws Exception {
        ConsumerRecord<byte[], byte[]> latest = SummaryJobs.latest(
                        kafka.bootstrapServers(), TopicConventions.summaryTopic(topic))
                .get(runId);
        assertNotNull(latest, "a summary of " + runId);
        JsonNode summary = Json.MAPPER.readTree(latest.value());
        return summary.get("chunk_count").asLong();
    }
}
