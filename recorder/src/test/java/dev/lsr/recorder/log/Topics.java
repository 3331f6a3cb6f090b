package dev.lsr.recorder.log;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.kafka.InDoubtTransactions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads topics back the way a consumer of the chunk log does: read_committed, from the beginning to the end. */
final class Topics {

    private Topics() {}

    /** Every committed record of {@code topic}, partition by partition in offset order. */
    static List<ConsumerRecord<byte[], byte[]>> readCommitted(String bootstrapServers, String topic) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class);
        InDoubtTransactions.awaitResolved(bootstrapServers, topic, Duration.ofSeconds(60));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            records.sort(java.util.Comparator.comparingInt((ConsumerRecord<byte[], byte[]> r) -> r.partition())
                    .thenComparingLong(ConsumerRecord::offset));
            return records;
        }
    }

    /** The committed chunk-topic records, grouped by run in log order. */
    static Map<String, List<ChunkLogRecord>> chunksByRun(String bootstrapServers, String topic) {
        Map<String, List<ChunkLogRecord>> byRun = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : readCommitted(bootstrapServers, topic)) {
            ChunkLogRecord chunk = ChunkLogRecord.fromConsumerRecord(record);
            byRun.computeIfAbsent(chunk.runId(), k -> new ArrayList<>()).add(chunk);
        }
        return byRun;
    }

    /** The last committed checkpoint per run (what compaction keeps); the log's own records are no runs. */
    static Map<String, Checkpoint> lastCheckpoints(String bootstrapServers, String chunkTopic) {
        Map<String, Checkpoint> last = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : readCommitted(bootstrapServers, chunkTopic + ".checkpoints")) {
            if (!dev.lsr.chunklog.CheckpointKeys.isRun(new String(record.key(), UTF_8))) {
                continue;
            }
            last.put(new String(record.key(), UTF_8), Checkpoint.fromJson(record.value()));
        }
        return last;
    }
}
