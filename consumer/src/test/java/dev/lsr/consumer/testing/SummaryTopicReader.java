package dev.lsr.consumer.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.consumer.projection.summary.RunSummaries;
import dev.lsr.consumer.projection.summary.RunSummary;
import dev.lsr.kafka.InDoubtTransactions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a summary topic (committed records only) to its end: the latest summary per run. Every read
 * first waits for the commit markers of transactions still in doubt.
 */
public final class SummaryTopicReader {

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

    private SummaryTopicReader() {}

    public static Map<String, RunSummary> latest(String bootstrapServers, String topic) {
        Map<String, RunSummary> latest = new HashMap<>();
        readAll(
                bootstrapServers,
                topic,
                "read_committed",
                record -> latest.put(new String(record.key(), UTF_8), RunSummaries.fromJson(record.value())));
        return latest;
    }

    /** How many committed records keyed {@code key} each partition of the topic holds (partitions without any left out). */
    public static Map<Integer, Integer> recordsPerPartition(String bootstrapServers, String topic, String key) {
        Map<Integer, Integer> counts = new TreeMap<>();
        readAll(bootstrapServers, topic, "read_committed", record -> {
            if (key.equals(new String(record.key(), UTF_8))) {
                counts.merge(record.partition(), 1, Integer::sum);
            }
        });
        return counts;
    }

    /** Data records only a read_uncommitted reader sees: those of aborted transactions. */
    public static long abortedRecords(String bootstrapServers, String topic) {
        return count(bootstrapServers, topic, "read_uncommitted") - count(bootstrapServers, topic, "read_committed");
    }

    private static long count(String bootstrapServers, String topic, String isolation) {
        long[] count = {0};
        readAll(bootstrapServers, topic, isolation, record -> count[0]++);
        return count[0];
    }

    /** Hands every record of the topic, read with {@code isolation} to its end, to {@code each}. */
    private static void readAll(
            String bootstrapServers,
            String topic,
            String isolation,
            java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
        InDoubtTransactions.awaitResolved(bootstrapServers, topic, SETTLE_TIMEOUT);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, isolation)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }

    /** The end offsets (last stable offsets) of a topic's partitions. */
    public static Map<TopicPartition, Long> endOffsets(String bootstrapServers, String topic) {
        InDoubtTransactions.awaitResolved(bootstrapServers, topic, SETTLE_TIMEOUT);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            return new HashMap<>(consumer.endOffsets(consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList()));
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        return consumer(bootstrapServers, "read_committed");
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, String isolation) {
        return new KafkaConsumer<>(Map.of(
                "bootstrap.servers",
                bootstrapServers,
                "isolation.level",
                isolation,
                "enable.auto.commit",
                "false",
                "key.deserializer",
                ByteArrayDeserializer.class.getName(),
                "value.deserializer",
                ByteArrayDeserializer.class.getName()));
    }
}
