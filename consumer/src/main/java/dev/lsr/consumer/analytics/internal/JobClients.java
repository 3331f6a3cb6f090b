package dev.lsr.consumer.analytics.internal;

import dev.lsr.consumer.analytics.AnalyticsConfig;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import dev.lsr.kernel.LogReaders;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The Kafka clients of one analytics job, configured once for exactly-once processing. */
public final class JobClients {

    private JobClients() {}

    /**
     * The group consumer: committed records only, offsets committed only through the producer's
     * transactions, and a static member ({@code group.instance.id} = the transactional id), so that
     * an instance restarted after a crash takes its partitions back at once instead of waiting for
     * its dead predecessor's session to time out. Kafka never resets a position ({@code
     * auto.offset.reset=none}): {@link JobLoop} decides where a partition without a usable offset goes on.
     */
    public static KafkaConsumer<byte[], byte[]> groupConsumer(KafkaClientSettings kafka, AnalyticsConfig config) {
        Map<String, Object> props = kafka.clientProperties();
        props.put("group.id", config.groupId());
        props.put("group.instance.id", config.transactionalId());
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", "false");
        props.put("auto.offset.reset", "none");
        props.put("allow.auto.create.topics", "false");
        props.put("max.poll.records", config.maxPollRecords());
        props.put("key.deserializer", ByteArrayDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    /** A consumer without group for reading the summary topic back (committed records only). */
    public static KafkaConsumer<byte[], byte[]> restoreConsumer(KafkaClientSettings kafka) {
        return new KafkaConsumer<>(restoreConsumerProperties(kafka.clientProperties()));
    }

    /**
     * The restore consumer's properties: a reader of partitions to their ends ({@link LogReaders#boundedProperties}: it
     * restores the summary partitions one after another), 5,000 records a poll.
     */
    static Map<String, Object> restoreConsumerProperties(Map<String, Object> clientProperties) {
        Map<String, Object> props = LogReaders.boundedProperties(clientProperties);
        props.put("max.poll.records", 5000);
        return props;
    }

    /** The job's producers: {@link #producer}, and the transaction timeout they run with. */
    public static JobProducers producers(KafkaClientSettings kafka, AnalyticsConfig config) {
        Object timeout = producerProperties(kafka, config).get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        return new JobProducers(
                () -> producer(kafka, config),
                Duration.ofMillis(Long.parseLong(timeout.toString().strip())));
    }

    /** The transactional producer of the summaries and the consumed offsets. */
    public static KafkaProducer<byte[], byte[]> producer(KafkaClientSettings kafka, AnalyticsConfig config) {
        return new KafkaProducer<>(producerProperties(kafka, config));
    }

    /** A pass-through {@code transaction.timeout.ms} wins over the job's 30 s. */
    private static Map<String, Object> producerProperties(KafkaClientSettings kafka, AnalyticsConfig config) {
        Map<String, Object> props = kafka.producerProperties();
        props.put("transactional.id", config.transactionalId());
        props.put("enable.idempotence", "true");
        props.put("acks", "all");
        props.putIfAbsent("transaction.timeout.ms", 30_000);
        props.put("linger.ms", 5);
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        return props;
    }

    /** The producer's {@code max.request.size}: what the user set ({@code producer.} prefix included), else Kafka's. */
    public static int maxRequestSize(KafkaClientSettings kafka) {
        Object set = kafka.producerProperties().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        return set == null
                ? (Integer) ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)
                : Integer.parseInt(set.toString().strip());
    }

    public static Admin admin(KafkaClientSettings kafka) {
        return Admin.create(kafka.clientProperties());
    }
}
