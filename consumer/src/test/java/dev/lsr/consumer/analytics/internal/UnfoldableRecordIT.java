package dev.lsr.consumer.analytics.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.TopicConventions;
import dev.lsr.consumer.analytics.AnalyticsConfig;
import dev.lsr.consumer.analytics.AnalyticsJob;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import dev.lsr.consumer.projection.SyntheticLog;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A record the fold cannot take (here a chunk stamped in the year 1, right after one stamped in 2026: the gap
 * between them overflowed a long of nanoseconds) costs that record, counted as a problem; the job goes on with every
 * other run. It used to leave the job's loop with its transaction open: the job FAILED, and a restart polled the same
 * batch and failed again, every partition stalled for good.
 */
@ExtendWith(KafkaBrokerExtension.class)
class UnfoldableRecordIT {

    @Test
    void aRecordTheFoldCannotTakeCostsOnlyThatRecord(KafkaBroker kafka) throws Exception {
        KafkaClientSettings settings =
                new KafkaClientSettings(kafka.bootstrapServers(), Map.of(), Duration.ofSeconds(30));
        String topic = kafka.uniqueTopic("unfoldable");
        kafka.createTopic(topic, 1);
        Instant start = Instant.parse("2026-03-14T17:32:11Z");
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(new SyntheticLog("run-odd", start)
                    .attached()
                    .chunks(List.of(line("run-odd", 1)), Duration.ofMillis(10))
                    .after(Duration.between(start, Instant.parse("0001-01-01T00:00:00Z")))
                    .chunks(List.of(line("run-odd", 2)), Duration.ofMillis(10))
                    .records());
            producer.append(FixtureLog.of("01-simple-reply").runId("run-small").records());
        }
        AnalyticsConfig config = AnalyticsConfig.defaults(topic).withGroup(kafka.uniqueId("unfoldable"), "0");
        AnalyticsJob.Stats stats = SummaryJobs.runUntilCaughtUp(config, settings);
        assertTrue(stats.problems() >= 1, "the record is a problem: " + stats);
        assertTrue(
                SummaryJobs.latest(kafka.bootstrapServers(), TopicConventions.summaryTopic(topic))
                        .containsKey("run-small"),
                "the other run's summary");
    }

    private static String line(String runId, long seq) {
        return "{\"id\":\"message-" + seq + "\",\"message_type\":\"assistant_message\",\"seq_id\":" + seq
                + ",\"run_id\":\"" + runId + "\",\"content\":\"x\"}";
    }
}
