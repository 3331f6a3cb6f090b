package dev.lsr.consumer.analytics.spans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.consumer.analytics.AnalyticsJob;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.consumer.testing.SpanTopicReader;
import dev.lsr.consumer.testing.SpanTrees;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.kernel.LifecycleState;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The spans job over a real broker: fixtures 02 and 03 in the chunk log (03 appended twice in part, as a
 * recorder retry would), the job run until caught up, then the spans topic decoded with the OTLP classes as a
 * Collector would: one span tree per run, with the structure of each fixture. About 15 s.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SpansJobIT {

    @Test
    void everyFinishedRunHasExactlyOneSpanTreeInTheSpansTopic(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("spans");
        broker.createTopic(topic, 2);
        var two = FixtureLog.of("02-tool-call-two-steps").records();
        var three = FixtureLog.of("03-parallel-approvals").records();
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            producer.append(two).append(three).append(three.subList(0, 10));
        }
        KafkaClientSettings kafka =
                new KafkaClientSettings(broker.bootstrapServers(), Map.of(), Duration.ofSeconds(30));
        AnalyticsJob<RunTrace> job = new AnalyticsJob<>(
                SpansRunFold.config(topic, "0").withGroup(broker.uniqueId("spans"), "0"), kafka, new SpansRunFold());
        Thread thread = Thread.ofPlatform().name("spans-job").start(job);
        try {
            assertTrue(job.awaitCaughtUp(Duration.ofSeconds(120)), job.stats().toString());
        } finally {
            job.close();
            thread.join(30_000);
        }
        assertEquals(LifecycleState.STOPPED, job.state());

        Map<String, List<ExportTraceServiceRequest>> trees =
                SpanTopicReader.trees(broker.bootstrapServers(), SpansRunFold.topic(topic));
        assertEquals(2, trees.size(), trees.keySet().toString());
        String agent = "invoke_agent agent-fixture";
        assertEquals(
                List.of(agent, "chat <- " + agent, "chat <- " + agent, "execute_tool web_search <- " + agent),
                SpanTrees.shape(only(trees, two.getFirst().runId())));
        assertEquals(
                List.of(agent, "chat <- " + agent, "execute_tool Read <- " + agent, "execute_tool Bash <- " + agent),
                SpanTrees.shape(only(trees, three.getFirst().runId())));
    }

    private static ExportTraceServiceRequest only(Map<String, List<ExportTraceServiceRequest>> trees, String runId) {
        List<ExportTraceServiceRequest> ofRun = trees.get(runId);
        assertEquals(1, ofRun.size(), "one tree for " + runId);
        return ofRun.getFirst();
    }
}
