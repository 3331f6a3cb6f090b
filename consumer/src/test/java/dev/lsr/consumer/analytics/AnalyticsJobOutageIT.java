package dev.lsr.consumer.analytics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import dev.lsr.consumer.projection.summary.RunSummaries;
import dev.lsr.consumer.projection.summary.RunSummary;
import dev.lsr.consumer.projection.summary.RunSummaryFold;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.SummaryTopicReader;
import dev.lsr.consumer.testing.SyntheticRuns;
import dev.lsr.kafka.EmbeddedKafkaBroker;
import dev.lsr.kernel.LifecycleState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker outage does not take the analytics job down: the broker stops while the job works
 * through the log, the job waits the outage out, and once the broker is back (same data, same port)
 * it goes on and ends with every run summarised once. Uses a broker of its own, since the shared
 * test broker must not be stopped.
 */
class AnalyticsJobOutageIT {

    @TempDir
    Path dataDir;

    @Test
    void waitsABrokerOutageOutAndThenSummarisesEverythingOnce() throws Exception {
        String topic = "letta.chunks";
        Map<String, RunSummary> expected = new HashMap<>();
        EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().dataDir(dataDir).port(0).start();
        int port = broker.port();
        String bootstrap = broker.bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(Set.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        append(bootstrap, topic, 0, 400, expected);

        KafkaClientSettings kafka = new KafkaClientSettings(bootstrap, Map.of(), Duration.ofSeconds(3));
        AnalyticsJob<RunSummaryFold> job = new AnalyticsJob<>(
                AnalyticsConfig.defaults(topic).withMaxPollRecords(200), kafka, new SummaryRunFold());
        Thread thread = new Thread(job, "analytics-job-under-outage");
        thread.start();
        try {
            await("the job commits its first transaction")
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> job.stats().transactions() > 0 || !thread.isAlive());
            broker.close(); // while the job works through the log
            // deliberately a pause, not a wait: the outage itself is the behaviour under test, and it must
            // last longer than every client timeout (3 s) so that the job's calls fail meanwhile
            Thread.sleep(6_000);
            assertTrue(thread.isAlive(), "the job must wait the outage out");
            assertEquals(LifecycleState.RUNNING, job.state());

            broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).port(port).start();
            append(bootstrap, topic, 400, 500, expected);
            awaitSummaries(bootstrap, TopicConventions.summaryTopic(topic), expected.size(), job);
        } finally {
            job.close();
            thread.join(30_000);
        }
        try {
            assertEquals(expected, SummaryTopicReader.latest(bootstrap, TopicConventions.summaryTopic(topic)));
        } finally {
            broker.close();
        }
    }

    private static void awaitSummaries(String bootstrap, String summaryTopic, int runs, AnalyticsJob<?> job)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (job.awaitCaughtUp(Duration.ofSeconds(1))
                    && SummaryTopicReader.latest(bootstrap, summaryTopic).size() == runs) {
                return;
            }
        }
        throw new AssertionError("the job did not recover: " + job.stats());
    }

    private static void append(String bootstrap, String topic, int from, int to, Map<String, RunSummary> expected) {
        List<ChunkLogRecord> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            List<ChunkLogRecord> run = SyntheticRuns.run(i);
            records.addAll(run);
            expected.put(run.getFirst().runId(), RunSummaries.ofRecords(run));
        }
        try (ChunkLogProducer producer = new ChunkLogProducer(bootstrap, topic)) {
            producer.append(records);
        }
    }
}
