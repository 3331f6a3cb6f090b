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
import dev.lsr.consumer.analytics.RunFold;
import dev.lsr.consumer.analytics.SummaryRunFold;
import dev.lsr.consumer.analytics.spans.SpansRunFold;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.kernel.LifecycleState;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run the fold takes but cannot summarise costs only that run's summary: a marker in its place, logged and counted
 * as a problem, and the job goes on with every other run. The summary was built outside the per-record protection:
 * the job FAILED, and a restart polled the same batch and failed again. An audit reached it with a {@code ce_time}
 * in the year 300,000,000 (its duration overflowed a long of milliseconds); the envelope now refuses such a time
 * (an unreadable record), so here the fold's {@code value} fails as that overflow did, for one run.
 */
@ExtendWith(KafkaBrokerExtension.class)
class UnsummarisableRunIT {

    @Test
    void aRunWhoseSummaryCannotBeBuiltGetsAMarkerAndTheJobGoesOn(KafkaBroker kafka) throws Exception {
        String topic = chunkTopic(kafka, "unsummarisable");
        AnalyticsConfig config = AnalyticsConfig.defaults(topic).withGroup(kafka.uniqueId("unsummarisable"), "0");
        AnalyticsJob.Stats stats =
                SummaryJobs.runUntilCaughtUp(config, settings(kafka), failingFor(new SummaryRunFold()));
        assertEquals(LifecycleState.RUNNING, stats.state(), "the job is not FAILED: " + stats);
        assertEquals(1, stats.problems(), "the run, once: " + stats);

        Map<String, ConsumerRecord<byte[], byte[]>> latest =
                SummaryJobs.latest(kafka.bootstrapServers(), TopicConventions.summaryTopic(topic));
        assertNotNull(latest.get("run-small").headers().lastHeader(SummaryRecords.STATE_HEADER), "its summary");
        assertUnsummarisableMarker(latest.get(UNSUMMARISABLE));

        // a restarted job reads the marker back: the run is not folded from scratch, no new problem
        assertEquals(
                0,
                SummaryJobs.runUntilCaughtUp(config, settings(kafka), failingFor(new SummaryRunFold()))
                        .problems());
    }

    /** The spans job builds the same summary for a run's span tree, when the run has ended. */
    @Test
    void theSpansJobMarksTheRunToo(KafkaBroker kafka) throws Exception {
        String topic = chunkTopic(kafka, "unsummarisable-spans");
        AnalyticsConfig config = SpansRunFold.config(topic, "0").withGroup(kafka.uniqueId("spans"), "0");
        AnalyticsJob.Stats stats =
                SummaryJobs.runUntilCaughtUp(config, settings(kafka), failingFor(new SpansRunFold()));
        assertEquals(LifecycleState.RUNNING, stats.state(), "the job is not FAILED: " + stats);
        assertEquals(1, stats.problems(), "the run, once: " + stats);

        Map<String, ConsumerRecord<byte[], byte[]>> latest =
                SummaryJobs.latest(kafka.bootstrapServers(), SpansRunFold.topic(topic));
        assertTrue(latest.get("run-small").value().length > 0, "the other run's span tree");
        assertUnsummarisableMarker(latest.get(UNSUMMARISABLE));
    }

    private static final String UNSUMMARISABLE = "run-unsummarisable";

    /** A chunk topic with two whole runs of fixture 01: {@link #UNSUMMARISABLE} and run-small. */
    private static String chunkTopic(KafkaBroker kafka, String name) {
        String topic = kafka.uniqueTopic(name);
        kafka.createTopic(topic, 1);
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(
                    FixtureLog.of("01-simple-reply").runId(UNSUMMARISABLE).records());
            producer.append(FixtureLog.of("01-simple-reply").runId("run-small").records());
        }
        return topic;
    }

    /** {@code fold}, but building the value of {@link #UNSUMMARISABLE} fails as the audit's overflow did. */
    private static <S> RunFold<Tagged<S>> failingFor(RunFold<S> fold) {
        return new RunFold<>() {
            @Override
            public Tagged<S> initial(String runId) {
                return new Tagged<>(runId, fold.initial(runId));
            }

            @Override
            public Tagged<S> apply(Tagged<S> state, ReplayEvent event) {
                return new Tagged<>(state.runId(), fold.apply(state.state(), event));
            }

            @Override
            public byte[] value(Tagged<S> state) {
                if (state.runId().equals(UNSUMMARISABLE)) {
                    throw new ArithmeticException("long overflow");
                }
                return fold.value(state.state());
            }

            @Override
            public byte[] saveState(Tagged<S> state) {
                return fold.saveState(state.state());
            }

            @Override
            public Tagged<S> restoreState(String runId, byte[] saved) {
                return new Tagged<>(runId, fold.restoreState(runId, saved));
            }
        };
    }

    /** A fold's state with its run id. */
    private record Tagged<S>(String runId, S state) {}

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
