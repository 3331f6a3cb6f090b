package dev.lsr.consumer.analytics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.consumer.analytics.AnalyticsConfig;
import dev.lsr.consumer.analytics.AnalyticsJob;
import dev.lsr.consumer.analytics.spans.SpansRunFold;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import dev.lsr.consumer.projection.SyntheticLog;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.kernel.LifecycleState;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run the fold takes but cannot summarise (here attached in 2026 and finished in the year 300,000,000: its duration
 * overflows a long of milliseconds when the summary is built) costs only that run's summary: a marker in its place,
 * logged and counted as a problem, and the job goes on with every other run. The summary was built outside the
 * per-record protection: the job FAILED, and a restart polled the same batch and failed again.
 */
@ExtendWith(KafkaBrokerExtension.class)
class UnsummarisableRunIT {

    @Test
    void aRunWhoseSummaryCannotBeBuiltGetsAMarkerAndTheJobGoesOn(KafkaBroker kafka) throws Exception {
        String topic = chunkTopic(kafka, "unsummarisable");
        AnalyticsConfig config = AnalyticsConfig.defaults(topic).withGroup(kafka.uniqueId("unsummarisable"), "0");
        AnalyticsJob.Stats stats = SummaryJobs.runUntilCaughtUp(config, settings(kafka));
        assertEquals(LifecycleState.RUNNING, stats.state(), "the job is not FAILED: " + stats);
        assertEquals(1, stats.problems(), "the run, once: " + stats);

        Map<String, ConsumerRecord<byte[], byte[]>> latest =
                SummaryJobs.latest(kafka.bootstrapServers(), TopicConventions.summaryTopic(topic));
        assertNotNull(latest.get("run-small").headers().lastHeader(SummaryRecords.STATE_HEADER), "its summary");
        assertUnsummarisableMarker(latest.get("run-far"));

        // a restarted job reads the marker back: the run is not folded from scratch, no new problem
        assertEquals(0, SummaryJobs.runUntilCaughtUp(config, settings(kafka)).problems());
    }

    /** The spans job builds the same summary for a run's span tree, when the run has ended. */
    @Test
    void theSpansJobMarksTheRunToo(KafkaBroker kafka) throws Exception {
        String topic = chunkTopic(kafka, "unsummarisable-spans");
        AnalyticsConfig config = SpansRunFold.config(topic, "0").withGroup(kafka.uniqueId("spans"), "0");
        AnalyticsJob.Stats stats = SummaryJobs.runUntilCaughtUp(config, settings(kafka), new SpansRunFold());
        assertEquals(LifecycleState.RUNNING, stats.state(), "the job is not FAILED: " + stats);
        assertEquals(1, stats.problems(), "the run, once: " + stats);

        Map<String, ConsumerRecord<byte[], byte[]>> latest =
                SummaryJobs.latest(kafka.bootstrapServers(), SpansRunFold.topic(topic));
        assertTrue(latest.get("run-small").value().length > 0, "the other run's span tree");
        assertUnsummarisableMarker(latest.get("run-far"));
    }

    /** A chunk topic with run-far (attached in 2026, finished in the year 300,000,000) and a normal run. */
    private static String chunkTopic(KafkaBroker kafka, String name) {
        String topic = kafka.uniqueTopic(name);
        kafka.createTopic(topic, 1);
        Instant start = Instant.parse("2026-03-14T17:32:11Z");
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(new SyntheticLog("run-far", start)
                    .attached()
                    .after(Duration.between(start, Instant.parse("+300000000-01-01T00:00:00Z")))
                    .finished("end_turn", "completed")
                    .records());
            producer.append(FixtureLog.of("01-simple-reply").runId("run-small").records());
        }
        return topic;
    }

    private static KafkaClientSettings settings(KafkaBroker kafka) {
        return new KafkaClientSettings(kafka.bootstrapServers(), Map.of(), Duration.ofSeconds(30));
    }

    private static void assertUnsummarisableMarker(ConsumerRecord<byte[], byte[]> marker) throws Exception {
        assertNotNull(marker, "the run's marker");
        assertNull(marker.headers().lastHeader(SummaryRecords.STATE_HEADER), "no state: the run is no longer folded");
        assertNotNull(marker.headers().lastHeader(SummaryRecords.UNSUMMARISABLE_HEADER));
        JsonNode omitted = Json.MAPPER.readTree(marker.value()).get("summary_omitted");
        assertEquals("unsummarisable", omitted.get("reason").asText(), omitted.toString());
        assertEquals(
                "java.lang.ArithmeticException: long overflow",
                omitted.get("error").asText());
    }
}
