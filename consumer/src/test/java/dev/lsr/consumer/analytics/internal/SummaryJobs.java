package dev.lsr.consumer.analytics.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.consumer.analytics.AnalyticsConfig;
import dev.lsr.consumer.analytics.AnalyticsJob;
import dev.lsr.consumer.analytics.RunFold;
import dev.lsr.consumer.analytics.SummaryRunFold;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The summary job run until it caught up, and the summary topic read back: the shape of the job's ITs here. */
final class SummaryJobs {

    private SummaryJobs() {}

    /** Runs the summary job until it caught up with the chunk log, then stops it; its stats. */
    static AnalyticsJob.Stats runUntilCaughtUp(AnalyticsConfig config, KafkaClientSettings settings)
            throws InterruptedException {
        return runUntilCaughtUp(config, settings, new SummaryRunFold());
    }

    /** Runs a job of {@code fold} until it caught up with the chunk log, then stops it; its stats. */
    static <S> AnalyticsJob.Stats runUntilCaughtUp(
            AnalyticsConfig config, KafkaClientSettings settings, RunFold<S> fold) throws InterruptedException {
        AnalyticsJob<S> job = new AnalyticsJob<>(config, settings, fold);
        Thread thread = Thread.ofPlatform().name("summary-job").start(job);
        try {
            assertTrue(job.awaitCaughtUp(Duration.ofSeconds(60)), "the job caught up: " + job.stats());
            return job.stats();
        } finally {
            job.close();
            thread.join(30_000);
        }
    }

    /** The latest record of each key of the (one-partition) topic, read_committed. */
    static Map<String, ConsumerRecord<byte[], byte[]>> latest(String bootstrapServers, String topic) {
        Map<String, ConsumerRecord<byte[], byte[]>> latest = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers",
                bootstrapServers,
                "isolation.level",
                "read_committed",
                "key.deserializer",
                ByteArrayDeserializer.class.getName(),
                "value.deserializer",
                ByteArrayDeserializer.class.getName()))) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    latest.put(new String(record.key(), UTF_8), record);
                }
            }
        }
        return latest;
    }
}
