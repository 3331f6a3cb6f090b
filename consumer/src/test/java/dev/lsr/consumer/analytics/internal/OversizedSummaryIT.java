package dev.lsr.consumer.analytics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.consumer.analytics.AnalyticsConfig;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import dev.lsr.consumer.projection.SyntheticLog;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run whose summary record is over what Kafka takes (its fold state grows with its steps and tool calls) costs
 * only that run's summary. The record failed its transaction, and the job aborted and rewound to the same batch at
 * every retry: the partition stalled for good, and the warning named no run. The run now gets a marker in the
 * summary topic instead, logged with its run id and counted as a problem, and the job goes on.
 *
 * <p>The limit here is the summary topic's {@code max.message.bytes}, 20,000 bytes: a run of 3,000 steps has a
 * saved state of over 100 KB, fixture 01's summary record about 2 KB.
 */
@ExtendWith(KafkaBrokerExtension.class)
class OversizedSummaryIT {

    private static final int LIMIT = 20_000;
    private static final int STEPS = 3_000;

    @Test
    void aRunWhoseSummaryIsOverTheLimitGetsAMarkerAndTheJobGoesOn(KafkaBroker kafka) throws Exception {
        KafkaClientSettings settings =
                new KafkaClientSettings(kafka.bootstrapServers(), Map.of(), Duration.ofSeconds(30));
        String topic = kafka.uniqueTopic("summary-oversized");
        kafka.createTopic(topic, 1);
        String summaryTopic = TopicConventions.summaryTopic(topic);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(summaryTopic, Optional.of(1), Optional.empty())
                            .configs(
                                    Map.of("cleanup.policy", "compact", "max.message.bytes", Integer.toString(LIMIT)))))
                    .all()
                    .get();
        }
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(longRun("run-long"));
            producer.append(FixtureLog.of("01-simple-reply").runId("run-small").records());
        }
        AnalyticsConfig config = AnalyticsConfig.defaults(topic).withGroup(kafka.uniqueId("summary-oversized"), "0");
        assertEquals(1, SummaryJobs.runUntilCaughtUp(config, settings).problems(), "the oversized run, once");

        Map<String, ConsumerRecord<byte[], byte[]>> latest = SummaryJobs.latest(kafka.bootstrapServers(), summaryTopic);
        assertNotNull(latest.get("run-small").headers().lastHeader(SummaryRecords.STATE_HEADER), "its summary");
        ConsumerRecord<byte[], byte[]> marker = latest.get("run-long");
        assertNull(marker.headers().lastHeader(SummaryRecords.STATE_HEADER), "no state: the run is no longer folded");
        assertNotNull(marker.headers().lastHeader(SummaryRecords.OVERSIZED_HEADER));
        JsonNode omitted = Json.MAPPER.readTree(marker.value()).get("summary_omitted");
        assertEquals("oversized", omitted.get("reason").asText());
        assertEquals(LIMIT, omitted.get("limit_bytes").asInt());
        assertTrue(omitted.get("record_bytes").asInt() > LIMIT, omitted.toString());

        // a restarted job reads the marker back: a later record of the run is not folded from scratch
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(new SyntheticLog("run-long", Instant.parse("2026-03-14T18:00:00Z"))
                    .resumed(2, STEPS, "eof")
                    .records());
        }
        assertEquals(0, SummaryJobs.runUntilCaughtUp(config, settings).problems());
        ConsumerRecord<byte[], byte[]> after =
                SummaryJobs.latest(kafka.bootstrapServers(), summaryTopic).get("run-long");
        assertNotNull(after.headers().lastHeader(SummaryRecords.OVERSIZED_HEADER), "still the marker");
    }

    /** A run of {@link #STEPS} steps, one assistant message each. */
    private static List<ChunkLogRecord> longRun(String runId) {
        List<String> lines = new ArrayList<>();
        for (int seq = 1; seq <= STEPS; seq++) {
            lines.add("{\"id\":\"message-" + seq + "\",\"date\":\"2026-03-14T17:32:11+00:00\",\"message_type\":"
                    + "\"assistant_message\",\"otid\":null,\"step_id\":\"step-6f1c2a4e-0b7d-4c1e-9a3f-"
                    + String.format("%012d", seq)
                    + "\",\"seq_id\":" + seq + ",\"run_id\":\"" + runId + "\",\"content\":\"x\"}");
        }
        lines.add("{\"message_type\":\"stop_reason\",\"stop_reason\":\"end_turn\"}");
        return new SyntheticLog(runId, Instant.parse("2026-03-14T17:32:11Z"))
                .attached()
                .chunks(lines, Duration.ofMillis(10))
                .finished("end_turn", "completed")
                .records();
    }
}
