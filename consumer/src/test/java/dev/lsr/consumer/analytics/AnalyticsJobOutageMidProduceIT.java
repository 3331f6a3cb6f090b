package dev.lsr.consumer.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import dev.lsr.consumer.projection.summary.RunSummaries;
import dev.lsr.consumer.projection.summary.RunSummary;
import dev.lsr.consumer.projection.summary.RunSummaryFold;
import dev.lsr.consumer.testing.BrokerStopOnSendInterceptor;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.SummaryTopicReader;
import dev.lsr.consumer.testing.SyntheticRuns;
import dev.lsr.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The analytics job's outage case at its narrowest: the broker stops while a summary record's produce
 * request is in flight (the job's transaction has records on the summary partition that the client may
 * never see acknowledged), comes back on the same data, and the job must recover and summarise every
 * run once. {@link AnalyticsJobOutageIT} stops the broker at a random point; this one at that point.
 */
class AnalyticsJobOutageMidProduceIT {

    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "max.poll.records {0}")
    @ValueSource(ints = {200})
    void recoversWhenTheBrokerStopsDuringASummaryProduce(int pollRecords) throws Exception {
        String topic = "letta.chunks";
        Map<String, RunSummary> expected = new HashMap<>();
        EmbeddedKafkaBroker[] broker = {
            EmbeddedKafkaBroker.builder().dataDir(dataDir).port(0).start()
        };
        int port = broker[0].port();
        String bootstrap = broker[0].bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(Set.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        append(bootstrap, topic, 0, 400, expected);
        CountDownLatch stopped = new CountDownLatch(1);
        BrokerStopOnSendInterceptor.arm(() -> {
            broker[0].close();
            stopped.countDown();
        });
        KafkaClientSettings kafka = new KafkaClientSettings(
                bootstrap,
                Map.of("interceptor.classes", BrokerStopOnSendInterceptor.class.getName()),
                Duration.ofSeconds(3));
        AnalyticsJob<RunSummaryFold> job = new AnalyticsJob<>(
                AnalyticsConfig.defaults(topic).withMaxPollRecords(pollRecords), kafka, new SummaryRunFold());
        Thread thread = new Thread(job, "analytics-job-mid-produce");
        thread.start();
        try {
            assertEquals(true, stopped.await(120, TimeUnit.SECONDS), "the broker was stopped mid-produce");
            Thread.sleep(4_000); // longer than the client timeout (3 s): the job's calls fail meanwhile
            broker[0] =
                    EmbeddedKafkaBroker.builder().dataDir(dataDir).port(port).start();
            append(bootstrap, topic, 400, 450, expected);
            awaitSummaries(bootstrap, TopicConventions.summaryTopic(topic), expected.size(), job);
        } finally {
            job.close();
            thread.join(30_000);
        }
        try {
            assertEquals(expected, SummaryTopicReader.latest(bootstrap, TopicConventions.summaryTopic(topic)));
        } finally {
            broker[0].close();
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
