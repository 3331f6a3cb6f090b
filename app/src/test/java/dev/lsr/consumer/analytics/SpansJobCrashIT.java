package dev.lsr.consumer.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.consumer.analytics.spans.RunTrace;
import dev.lsr.consumer.analytics.spans.SpansRunFold;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.HaltingInterceptor;
import dev.lsr.consumer.testing.SpanTopicReader;
import dev.lsr.consumer.testing.SummaryTopicReader;
import dev.lsr.consumer.testing.SyntheticRuns;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.kernel.LifecycleState;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The spans job ({@code consumer analytics --spans} in a child JVM), halted like {@code kill -9} right after
 * the broker acknowledged a randomly chosen span record, so its last transaction stays open, and restarted:
 * the spans topic then holds exactly one span tree per run, equal to a clean pass's, and the crashed
 * transaction's records are aborted (a Collector reading committed records never sees them). The log has
 * 500 small runs, some with records appended again after their end. About 60 s.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SpansJobCrashIT {

    private static final int RUNS = 500;

    @Test
    void aSpansJobKilledMidWayLeavesExactlyOneTreePerRun(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("spans-crash");
        broker.createTopic(topic, 3);
        appendSyntheticLog(broker, topic);
        String group = broker.uniqueId("spans");
        String spansTopic = SpansRunFold.topic(topic);

        int haltAfter = 50 + new Random().nextInt(250);
        Process child = startChildJob(broker, topic, group, haltAfter);
        try {
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child job did not crash in time");
        } finally {
            child.destroyForcibly();
        }
        assertEquals(HaltingInterceptor.EXIT_CODE, child.exitValue(), "the child job must die by the injected crash");
        int treesAtCrash =
                SpanTopicReader.trees(broker.bootstrapServers(), spansTopic).size();
        assertTrue(treesAtCrash < RUNS, "the crash must land mid-way: " + treesAtCrash + " trees");

        KafkaClientSettings kafka =
                new KafkaClientSettings(broker.bootstrapServers(), Map.of(), Duration.ofSeconds(30));
        runUntilCaughtUp(new AnalyticsJob<>(
                SpansRunFold.config(topic, "0").withGroup(group, "0").withMaxPollRecords(500),
                kafka,
                new SpansRunFold()));
        String cleanTopic = spansTopic + ".clean";
        runUntilCaughtUp(new AnalyticsJob<>(
                SpansRunFold.config(topic, "0")
                        .withGroup(broker.uniqueId("clean"), "0")
                        .withSummaryTopic(cleanTopic)
                        .withMaxPollRecords(500),
                kafka,
                new SpansRunFold()));

        assertTrue(
                SummaryTopicReader.abortedRecords(broker.bootstrapServers(), spansTopic) > 0,
                "the crashed job's open transaction held span records, aborted when the job restarted");
        Map<String, List<ExportTraceServiceRequest>> afterCrash =
                SpanTopicReader.trees(broker.bootstrapServers(), spansTopic);
        Map<String, List<ExportTraceServiceRequest>> clean =
                SpanTopicReader.trees(broker.bootstrapServers(), cleanTopic);
        assertEquals(RUNS, afterCrash.size(), "every run has its tree");
        List<String> notOnce = afterCrash.entrySet().stream()
                .filter(e -> e.getValue().size() != 1)
                .map(e -> e.getKey() + ": " + e.getValue().size())
                .toList();
        assertEquals(List.of(), notOnce, "exactly one tree per run");
        assertEquals(clean, afterCrash, "the same trees as a clean pass, ids included");
    }

    /** The runs in transactions of 50, then the first records of every 20th run again (a recorder's repeat). */
    private static void appendSyntheticLog(KafkaBroker broker, String topic) {
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            List<ChunkLogRecord> batch = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                List<ChunkLogRecord> run = SyntheticRuns.run(i);
                batch.addAll(run);
                if (i % 20 == 0) {
                    batch.addAll(run.subList(0, 12));
                }
                if ((i + 1) % 50 == 0) {
                    producer.append(batch);
                    batch.clear();
                }
            }
            producer.append(batch);
        }
    }

    private static Process startChildJob(KafkaBroker broker, String topic, String group, int haltAfter)
            throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        File output = Path.of("target", "spans-child-" + group + ".log").toFile();
        ProcessBuilder builder = new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Xmx512m",
                "-D" + HaltingInterceptor.PROPERTY + "=" + haltAfter,
                "dev.lsr.consumer.cli.ConsumerCli",
                "analytics",
                "--spans",
                "--bootstrap-servers",
                broker.bootstrapServers(),
                "--topic",
                topic,
                "--group",
                group,
                "--instance-id",
                "0",
                "--max-poll-records",
                "200",
                "--timeout",
                "30s",
                "--kafka-property",
                "interceptor.classes=" + HaltingInterceptor.class.getName());
        builder.redirectErrorStream(true).redirectOutput(output);
        return builder.start();
    }

    private static void runUntilCaughtUp(AnalyticsJob<RunTrace> job) throws Exception {
        Thread thread = new Thread(job, "spans-job-under-test");
        thread.start();
        try {
            assertTrue(job.awaitCaughtUp(Duration.ofSeconds(120)), "job did not catch up: " + job.stats());
        } finally {
            job.close();
            thread.join(30_000);
        }
        assertEquals(LifecycleState.STOPPED, job.state(), job.stats().toString());
    }
}
