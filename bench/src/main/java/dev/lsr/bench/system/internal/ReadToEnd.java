package dev.lsr.bench.system.internal;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads every partition of a topic with read_committed from the beginning to the end offsets captured
 * at the start, handing each record below them to {@code onRecord}: a bounded, reproducible read.
 * It first waits for the transactions in doubt, so that a transaction committed just before the call
 * is read whole.
 */
final class ReadToEnd {

    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private ReadToEnd() {}

    static void read(BenchKafka kafka, String topic, Consumer<ConsumerRecord<byte[], byte[]>> onRecord) {
        kafka.awaitTransactionsResolved(topic);
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.readCommittedConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, METADATA_TIMEOUT).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, METADATA_TIMEOUT);
            Set<TopicPartition> remaining = new HashSet<>(partitions);
            while (true) {
                remaining.removeIf(tp -> consumer.position(tp) >= end.get(tp));
                if (remaining.isEmpty()) {
                    return;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        onRecord.accept(record);
                    }
                }
            }
        }
    }
}
