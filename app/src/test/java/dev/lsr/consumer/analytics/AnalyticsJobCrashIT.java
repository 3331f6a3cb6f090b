package dev.lsr.consumer.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import dev.lsr.consumer.projection.summary.RunSummary;
import dev.lsr.consumer.projection.summary.RunSummaryFold;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.HaltingInterceptor;
import dev.lsr.consumer.testing.SummaryTopicReader;
import dev.lsr.consumer.testing.SyntheticRuns;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.kernel.LifecycleState;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics job, crashed mid-transaction and restarted, ends with the same summaries as a clean
 * pass over the same log, and both equal the run summary folded directly over each run's records:
 * nothing counted twice, nothing lost. The crash: a child JVM runs {@code consumer analytics} and
 * halts ({@link Runtime#halt}, as abrupt as {@code kill -9}) right after the broker acknowledged a
 * randomly chosen summary record, so its last transaction stays open with data in the log. The log
 * has a few thousand small runs and duplicates re-appended for some of them.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AnalyticsJobCrashIT {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsJobCrashIT.class);
    private static final int RUNS = 2500;
    private static final int RUNS_PER_TRANSACTION = 100;

    @Test
    void aJobKilledMidWayAndRestartedEndsWithTheSummariesOfACleanPass(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("analytics");
        broker.createTopic(topic, 3);
        Map<String, RunSummary> expected = recordSyntheticLog(broker, topic);
        long total = totalRecords(broker, topic);
        String group = broker.uniqueId("analytics");

        int haltAfter = 300 + new Random().nextInt(1200);
        Process child = startChildJob(broker, topic, group, haltAfter);
        try {
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child job did not crash in time");
        } finally {
            child.destroyForcibly();
        }
        assertEquals(HaltingInterceptor.EXIT_CODE, child.exitValue(), "the child job must die by the injected crash");
        long committedAtCrash = committed(broker, group);
        log.info(
                "crashed the job after {} summary acks, with {} of {} offsets committed",
                haltAfter,
                committedAtCrash,
                total);
        assertTrue(
                committedAtCrash > 0 && committedAtCrash < total,
                "the crash must land mid-way: " + committedAtCrash + " of " + total);

        KafkaClientSettings kafka =
                new KafkaClientSettings(broker.bootstrapServers(), Map.of(), Duration.ofSeconds(30));
        AnalyticsConfig config =
                AnalyticsConfig.defaults(topic).withGroup(group, "0").withMaxPollRecords(500);
        runUntilCaughtUp(new AnalyticsJob<>(config, kafka, new SummaryRunFold()));

        String cleanTopic = TopicConventions.summaryTopic(topic) + ".clean";
        AnalyticsConfig clean = AnalyticsConfig.defaults(topic)
                .withGroup(broker.uniqueId("clean"), "0")
                .withSummaryTopic(cleanTopic)
                .withMaxPollRecords(500);
        runUntilCaughtUp(new AnalyticsJob<>(clean, kafka, new SummaryRunFold()));

        Map<String, RunSummary> afterCrash =
                SummaryTopicReader.latest(broker.bootstrapServers(), TopicConventions.summaryTopic(topic));
        assertTrue(
                SummaryTopicReader.abortedRecords(broker.bootstrapServers(), TopicConventions.summaryTopic(topic)) > 0,
                "the crashed job's open transaction held summaries, aborted when the job restarted");
        Map<String, RunSummary> cleanPass = SummaryTopicReader.latest(broker.bootstrapServers(), cleanTopic);
        assertEquals(RUNS, cleanPass.size());
        assertEquals(cleanPass, afterCrash);
        assertEquals(expected, cleanPass);
    }

    /** Appends the runs in transactions, then re-appends the first records of every 25th run. */
    private static Map<String, RunSummary> recordSyntheticLog(KafkaBroker broker, String topic) {
        Map<String, RunSummaryFold> folds = new HashMap<>();
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            List<ChunkLogRecord> batch = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                List<ChunkLogRecord> run = SyntheticRuns.run(i);
                batch.addAll(run);
                fold(folds, run);
                if (i % 25 == 0) {
                    List<ChunkLogRecord> repeated = run.subList(0, 12);
                    batch.addAll(repeated);
                    fold(folds, repeated);
                }
                if ((i + 1) % RUNS_PER_TRANSACTION == 0) {
                    producer.append(batch);
                    batch.clear();
                }
            }
            producer.append(batch);
        }
        Map<String, RunSummary> summaries = new HashMap<>();
        folds.forEach((run, fold) -> summaries.put(run, fold.summary()));
        return summaries;
    }

    private static void fold(Map<String, RunSummaryFold> folds, List<ChunkLogRecord> records) {
        for (ChunkLogRecord record : records) {
            folds.computeIfAbsent(record.runId(), r -> new RunSummaryFold())
                    .applyAll(dev.lsr.consumer.reader.ReplayEvents.of(List.of(record)));
        }
    }

    private static Process startChildJob(KafkaBroker broker, String topic, String group, int haltAfter)
            throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        File output = Path.of("target", "analytics-child-" + group + ".log").toFile();
        ProcessBuilder builder = new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Xmx512m",
                "-D" + HaltingInterceptor.PROPERTY + "=" + haltAfter,
                "dev.lsr.consumer.cli.ConsumerCli",
                "analytics",
                "--bootstrap-servers",
                broker.bootstrapServers(),
                "--topic",
                topic,
                "--group",
                group,
                "--instance-id",
                "0",
                "--max-poll-records",
                "500",
                "--timeout",
                "30s",
                "--kafka-property",
                "interceptor.classes=" + HaltingInterceptor.class.getName());
        builder.redirectErrorStream(true).redirectOutput(output);
        return builder.start();
    }

    private static long committed(KafkaBroker broker, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = broker.admin()
                .listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
        return offsets.values().stream()
                .filter(o -> o != null)
                .mapToLong(OffsetAndMetadata::offset)
                .sum();
    }

    private static long totalRecords(KafkaBroker broker, String topic) throws Exception {
        return SummaryTopicReader.endOffsets(broker.bootstrapServers(), topic).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    private static void runUntilCaughtUp(AnalyticsJob<RunSummaryFold> job) throws Exception {
        Thread thread = new Thread(job, "analytics-job-under-test");
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
