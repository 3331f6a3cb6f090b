package dev.lsr.consumer.analytics.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.consumer.analytics.AnalyticsConfig;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The group's committed offsets gone while the summary topic keeps the runs' state: the job stopped for longer
 * than the broker keeps an empty group's offsets ({@code offsets.retention.minutes}, 7 days), a group deleted or
 * reset. The job used to read the log from its start again and fold every record a second time on top of the
 * restored state: every count doubled, nothing said. The summary topic now holds, in every transaction, where the
 * job's consumption stands, and the job goes on from there.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LostGroupOffsetsIT {

    @Test
    void aJobWhoseGroupOffsetsAreGoneGoesOnFromTheSummaryTopicNotFromTheStart(KafkaBroker kafka) throws Exception {
        KafkaClientSettings settings =
                new KafkaClientSettings(kafka.bootstrapServers(), Map.of(), Duration.ofSeconds(30));
        String topic = kafka.uniqueTopic("lost-offsets");
        kafka.createTopic(topic, 1);
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(FixtureLog.of("01-simple-reply").runId("run-a").records());
        }
        String group = kafka.uniqueId("lost-offsets");
        AnalyticsConfig config = AnalyticsConfig.defaults(topic).withGroup(group, "0");
        SummaryJobs.runUntilCaughtUp(config, settings);
        long chunks = chunkCount(kafka, topic, "run-a");
        assertTrue(chunks > 0, "summarised once: " + chunks);

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            // once the stopped job's member has left
            await("the group deleted")
                    .atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(() -> {
                        admin.deleteConsumerGroups(Set.of(group)).all().get();
                        return true;
                    });
        }
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(FixtureLog.of("01-simple-reply").runId("run-b").records());
        }
        SummaryJobs.runUntilCaughtUp(config, settings);

        assertEquals(chunks, chunkCount(kafka, topic, "run-a"), "run-a's records folded once, not twice");
        assertEquals(chunks, chunkCount(kafka, topic, "run-b"), "and the new run summarised");
    }

    private static long chunkCount(KafkaBroker kafka, String topic, String runId) throws Exception {
        ConsumerRecord<byte[], byte[]> latest = SummaryJobs.latest(
                        kafka.bootstrapServers(), TopicConventions.summaryTopic(topic))
                .get(runId);
        JsonNode summary = Json.MAPPER.readTree(latest.value());
        return summary.get("chunk_count").asLong();
    }
}
