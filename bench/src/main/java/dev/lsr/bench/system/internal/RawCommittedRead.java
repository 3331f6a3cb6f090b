package dev.lsr.bench.system.internal;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The rebuild baseline: a plain read_committed consumer reading a topic from the beginning to the end
 * offsets it captured at the start, touching every record's bytes and nothing else.
 */
final class RawCommittedRead {

    /** What the read saw. */
    record Result(long records, long bytes) {
    }

    private RawCommittedRead() {
    }

    static Result readAll(BenchKafka kafka, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.readCommittedConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Set<TopicPartition> remaining = new HashSet<>(partitions);
            long records = 0;
            long bytes = 0;
            while (true) {
                remaining.removeIf(tp -> consumer.position(tp) >= end.get(tp));
                if (remaining.isEmpty()) {
                    return new Result(records, bytes);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        records++;
                        bytes += record.value().length + (record.key() == null ? 0 : record.key().length);
                    }
                }
            }
        }
    }
}
