package dev.lsr.bench.system.internal;

import dev.lsr.chunklog.ChunkLogFormat;
import dev.lsr.chunklog.EnvelopeHeaders;
import dev.lsr.chunklog.RecordType;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Counts the committed chunk records of a topic after a trial, to check nothing was lost or doubled. */
final class CommittedChunks {

    private CommittedChunks() {
    }

    /** What a topic holds. */
    record Count(long records, long duplicates) {
    }

    /** Chunk records ({@code ce_type} chunk, or any record when {@code anyRecord}) visible to read_committed. */
    static long count(BenchKafka kafka, String topic, boolean anyRecord) {
        return countWithDuplicates(kafka, topic, anyRecord).records();
    }

    /** As {@link #count}, and how many chunk records repeat a {@code ce_id} (run and position) already read. */
    static Count countWithDuplicates(BenchKafka kafka, String topic, boolean anyRecord) {
        Set<String> ids = new HashSet<>();
        long duplicates = 0;
        String chunkType = RecordType.CHUNK.cloudEventType();
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.readCommittedConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Set<TopicPartition> remaining = new HashSet<>(partitions);
            long count = 0;
            while (true) {
                remaining.removeIf(tp -> consumer.position(tp) >= end.get(tp));
                if (remaining.isEmpty()) {
                    return new Count(count, duplicates);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (anyRecord || chunkType.equals(EnvelopeHeaders.get(record.headers(), ChunkLogFormat.Headers.TYPE))) {
                        count++;
                        String id = EnvelopeHeaders.get(record.headers(), ChunkLogFormat.Headers.ID);
                        if (id != null && !ids.add(id)) {
                            duplicates++;
                        }
                    }
                }
            }
        }
    }
}
