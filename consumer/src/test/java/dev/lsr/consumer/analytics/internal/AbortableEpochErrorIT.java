package dev.lsr.consumer.analytics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.consumer.analytics.AnalyticsConfig;
import dev.lsr.consumer.analytics.SummaryRunFold;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import dev.lsr.consumer.projection.summary.RunSummaries;
import dev.lsr.consumer.projection.summary.RunSummary;
import dev.lsr.consumer.projection.summary.RunSummaryFold;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.SummaryTopicReader;
import dev.lsr.consumer.testing.SyntheticRuns;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An {@code InvalidProducerEpochException} is abortable (KIP-588; KIP-890 keeps it so): the job aborts,
 * rewinds to its last commit and goes on, as the recorder does, and ends with every run summarised once.
 * Before the classifier was shared, the job treated it as a fencing and stopped.
 *
 * <p>The broker is real; the error is not the broker's: a 4.x broker with transactions v2 answers the
 * usual cause (a transaction the coordinator aborted for its timeout) with a fencing the client reports
 * as {@code ProducerFencedException}, so the test makes the job's real producer throw the epoch error from
 * one commit ({@link EpochErrorOnce}), leaving that transaction open for the job to abort.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AbortableEpochErrorIT {

    private static final int RUNS = 60;

    @Test
    void anInvalidProducerEpochAbortsAndRewindsInsteadOfStoppingTheJob(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("epoch");
        broker.createTopic(topic, 2);
        Map<String, RunSummary> expected = append(broker.bootstrapServers(), topic);
        KafkaClientSettings kafka = new KafkaClientSettings(broker.bootstrapServers(), Map.of(), Duration.ofSeconds(30));
        AnalyticsConfig config = AnalyticsConfig.defaults(topic).withGroup(broker.uniqueId("epoch"), "0")
                .withMaxPollRecords(50);
        String summaryTopic = TopicConventions.summaryTopic(topic);
        JobCounters counters = new JobCounters();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<Throwable> stopped = new AtomicReference<>();
        try (Admin admin = JobClients.admin(kafka);
             KafkaConsumer<byte[], byte[]> group = JobClients.groupConsumer(kafka, config);
             KafkaConsumer<byte[], byte[]> restore = JobClients.restoreConsumer(kafka);
             EpochErrorOnce producer = new EpochErrorOnce(JobClients.producer(kafka, config))) {
            SummaryTopicSetup.ensure(admin, config.chunkTopic(), config.summaryTopic(), kafka.timeout());
            JobLoop<RunSummaryFold> loop = new JobLoop<>(config, new SummaryRunFold(), group, producer, restore, admin,
                    kafka.timeout(), counters);
            Thread thread = Thread.ofPlatform().name("analytics-loop").start(() -> {
                try {
                    loop.run(running::get);
                } catch (WakeupException e) {
                    // stopped below
                } catch (Throwable t) {
                    stopped.set(t);
                }
            });
            try {
                await(() -> stopped.get() != null || counters.caughtUp
                        && SummaryTopicReader.latest(broker.bootstrapServers(), summaryTopic).size() == RUNS);
            } finally {
                running.set(false);
                group.wakeup();
                thread.join(30_000);
            }
            assertNull(stopped.get(), () -> "the job stopped on an abortable error: " + stopped.get());
            assertTrue(producer.thrown(), "the epoch error was raised");
            assertTrue(counters.aborts.get() >= 1, "the transaction was aborted: " + counters.aborts.get());
        }
        assertEquals(expected, SummaryTopicReader.latest(broker.bootstrapServers(), summaryTopic));
    }

    private static Map<String, RunSummary> append(String bootstrap, String topic) {
        Map<String, RunSummary> expected = new HashMap<>();
        List<ChunkLogRecord> records = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            List<ChunkLogRecord> run = SyntheticRuns.run(i);
            records.addAll(run);
            expected.put(run.getFirst().runId(), RunSummaries.ofRecords(run));
        }
        try (ChunkLogProducer producer = new ChunkLogProducer(bootstrap, topic)) {
            producer.append(records);
        }
        return expected;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for the job to catch up");
            }
            Thread.sleep(50);
        }
    }
}
