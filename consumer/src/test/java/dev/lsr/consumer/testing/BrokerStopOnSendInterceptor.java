package dev.lsr.consumer.testing;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Outage injection at an exact point: configured as {@code interceptor.classes} of a producer, it runs the
 * armed action (stopping the broker, on a thread of its own) the moment the producer is handed a summary
 * record, so the broker goes down while that record's produce request is in flight. A no-op for consumers
 * (client properties are shared by every client of the job).
 */
public final class BrokerStopOnSendInterceptor<K, V> implements ProducerInterceptor<K, V>, ConsumerInterceptor<K, V> {

    private static final AtomicReference<Runnable> ARMED = new AtomicReference<>();

    /** Runs {@code stop} on a new thread at the next summary record sent, once. */
    public static void arm(Runnable stop) {
        ARMED.set(stop);
    }

    @Override
    public ProducerRecord<K, V> onSend(ProducerRecord<K, V> record) {
        if (record.topic().endsWith(".summaries")) {
            Runnable stop = ARMED.getAndSet(null);
            if (stop != null) {
                Thread.ofPlatform().name("broker-stop").start(stop);
            }
        }
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

    @Override
    public ConsumerRecords<K, V> onConsume(ConsumerRecords<K, V> records) {
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}
}
