package dev.lsr.consumer.testing;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.kafka.InDoubtTransactions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Appends chunk-log records to a real topic the way the recorder does: keyed by run id (so the
 * default partitioner puts a run in {@code TopicConventions.partitionFor}'s partition), with the
 * envelope as CloudEvents headers, inside one transaction per call.
 */
public final class ChunkLogProducer implements AutoCloseable {

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

    private final String bootstrapServers;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public ChunkLogProducer(String bootstrapServers, String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        props.put("transactional.id", "test-recorder-" + UUID.randomUUID());
        props.put("linger.ms", 5);
        props.put("batch.size", 256 * 1024);
        this.bootstrapServers = bootstrapServers;
        this.producer = new KafkaProducer<>(props);
        this.topic = topic;
        producer.initTransactions();
    }

    /** Appends the records in one committed transaction. */
    public ChunkLogProducer append(List<ChunkLogRecord> records) {
        return appendRaw(
                records.stream().map(r -> r.toProducerRecord(topic, null)).toList());
    }

    /** Appends any producer records (e.g. broken ones) in one committed transaction. */
    public ChunkLogProducer appendRaw(List<ProducerRecord<byte[], byte[]>> records) {
        producer.beginTransaction();
        try {
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            for (ProducerRecord<byte[], byte[]> record : records) {
                sent.add(producer.send(record));
            }
            producer.flush();
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        } catch (InterruptedException | ExecutionException e) {
            producer.abortTransaction();
            throw new IllegalStateException("cannot append test records", e);
        }
        producer.commitTransaction();
        InDoubtTransactions.awaitResolved(bootstrapServers, topic, SETTLE_TIMEOUT);
        return this;
    }

    /** Sends records in a transaction that is aborted: read_committed readers must never see them. */
    public ChunkLogProducer appendAborted(List<ChunkLogRecord> records) {
        producer.beginTransaction();
        records.forEach(r -> producer.send(r.toProducerRecord(topic, null)));
        producer.flush();
        producer.abortTransaction();
        InDoubtTransactions.awaitResolved(bootstrapServers, topic, SETTLE_TIMEOUT);
        return this;
    }

    public String topic() {
        return topic;
    }

    @Override
    public void close() {
        producer.close();
    }
}
