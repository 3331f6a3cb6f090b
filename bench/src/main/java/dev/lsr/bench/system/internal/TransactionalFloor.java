package dev.lsr.bench.system.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.bench.system.internal.SimLoad.ExpectedChunk;
import dev.lsr.chunklog.TopicConventions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The exactly-once floor on this broker: one transactional producer per partition, as the recorder has,
 * each committing its partition's chunks (same bytes, no headers, no checkpoints) in transactions of a
 * fixed size, all partitions in parallel. What transactions alone cost, without HTTP or our encoding.
 */
final class TransactionalFloor {

    private TransactionalFloor() {}

    /** Sends every chunk; returns the seconds from the first send to the last commit. */
    static double run(BenchKafka kafka, String topic, List<ExpectedChunk> chunks, int recordsPerTransaction) {
        List<List<ExpectedChunk>> byPartition = new ArrayList<>();
        for (int p = 0; p < Sizes.PARTITIONS; p++) {
            byPartition.add(new ArrayList<>());
        }
        chunks.forEach(chunk -> byPartition
                .get(TopicConventions.partitionFor(chunk.runId(), Sizes.PARTITIONS))
                .add(chunk));
        List<KafkaProducer<byte[], byte[]>> producers = new ArrayList<>();
        try {
            for (int p = 0; p < Sizes.PARTITIONS; p++) {
                KafkaProducer<byte[], byte[]> producer = kafka.idempotentProducer(Map.of(
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        "bench-floor-" + topic + "-" + p,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        1 << 20));
                producer.initTransactions();
                producers.add(producer);
            }
            long start = System.nanoTime();
            PartitionThreads.run(Sizes.PARTITIONS, partition -> {
                KafkaProducer<byte[], byte[]> producer = producers.get(partition);
                List<ExpectedChunk> mine = byPartition.get(partition);
                for (int from = 0; from < mine.size(); from += recordsPerTransaction) {
                    producer.beginTransaction();
                    for (ExpectedChunk chunk :
                            mine.subList(from, Math.min(mine.size(), from + recordsPerTransaction))) {
                        producer.send(new ProducerRecord<>(
                                topic, partition, chunk.runId().getBytes(UTF_8), chunk.payload()));
                    }
                    producer.commitTransaction();
                }
            });
            return (System.nanoTime() - start) / 1e9;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            producers.forEach(KafkaProducer::close);
        }
    }
}
