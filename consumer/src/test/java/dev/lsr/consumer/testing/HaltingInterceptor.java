package dev.lsr.consumer.testing;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Crash injection for a child JVM: configured as {@code interceptor.classes} of every client, it
 * halts the JVM ({@link Runtime#halt}: no shutdown hooks, no finally blocks, no close, like
 * {@code kill -9}) the moment the broker has acknowledged the N-th summary record (or span record, {@code .otlp}), N from the
 * system property {@value #PROPERTY}. The acknowledged record is then in the log inside a
 * transaction that will never be committed: the job dies mid-transaction.
 */
public final class HaltingInterceptor<K, V> implements ProducerInterceptor<K, V>, ConsumerInterceptor<K, V> {

    public static final String PROPERTY = "lsr.test.haltAfterSummaryAcks";
    public static final int EXIT_CODE = 137;

    private static final AtomicLong ACKS = new AtomicLong();

    private long haltAfter = Long.MAX_VALUE;

    @Override
    public void configure(Map<String, ?> configs) {
        String value = System.getProperty(PROPERTY);
        if (value != null) {
            haltAfter = Long.parseLong(value);
        }
    }

    @Override
    public ProducerRecord<K, V> onSend(ProducerRecord<K, V> record) {
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        if (exception == null
                && metadata != null
                && (metadata.topic().endsWith(".summaries") || metadata.topic().endsWith(".otlp"))
                && ACKS.incrementAndGet() == haltAfter) {
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }

    @Override
    public ConsumerRecords<K, V> onConsume(ConsumerRecords<K, V> records) {
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

    @Override
    public void close() {}
}
