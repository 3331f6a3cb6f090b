package dev.lsr.recorder.log.internal;

import dev.lsr.kernel.LogReaders;
import dev.lsr.recorder.log.RunLogConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The only place that turns a {@link RunLogConfig} into client properties: the pass-through
 * properties first, then the settings exactly-once depends on, which nothing overrides. A
 * pass-through property without prefix goes to every client whose configuration knows the name
 * (the producer gets all of them); one prefixed {@code producer.}, {@code consumer.} or
 * {@code admin.} goes, unprefixed, only to that client and wins. Never logs the properties.
 */
final class KafkaClients {

    /** Producer default: a blocking transactional call gives up after this long (then it is retried). */
    static final int DEFAULT_MAX_BLOCK_MS = 15_000;
    /**
     * Producer default: the coordinator aborts a transaction open this long. Well above
     * {@link #commitDeadline} (half of it), so a transaction the recorder still waits for is never aborted
     * under it; the recorder's transactions last milliseconds.
     */
    static final int DEFAULT_TRANSACTION_TIMEOUT_MS = 120_000;
    /**
     * Producer default: a record not acknowledged after this long fails (Kafka's default is 120 s, longer
     * than the transaction). Below {@link #commitDeadline}, at least {@code request.timeout.ms} (30 s) plus
     * {@code linger.ms}, as Kafka requires.
     */
    static final int DEFAULT_DELIVERY_TIMEOUT_MS = 45_000;

    static final List<String> CLIENT_PREFIXES = List.of("producer.", "consumer.", "admin.");

    private KafkaClients() {}

    static Map<String, Object> producer(RunLogConfig config, PartitionId id) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, id.transactionalId());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, DEFAULT_MAX_BLOCK_MS);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, defaultBatchSize(config));
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, DEFAULT_TRANSACTION_TIMEOUT_MS);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DEFAULT_DELIVERY_TIMEOUT_MS);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression());
        props.putAll(forClient(config, "producer.", null));
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id.transactionalId());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return props;
    }

    /**
     * Producer default: a whole transaction fits in one producer batch ({@code maxBatchBytes}, at most
     * {@code max.request.size}), so it goes out in one produce request per partition instead of one per
     * 16 KB (Kafka's default). Measured in {@code docs/benchmarks.md} (ingest): about a third less CPU per
     * chunk. A pass-through {@code batch.size} still wins.
     */
    static int defaultBatchSize(RunLogConfig config) {
        return (int) Math.min(config.maxBatchBytes(), maxRequestSize(config));
    }

    static Map<String, Object> restoreConsumer(RunLogConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "lsr-recorder-restore-" + config.chunkTopic());
        props.putAll(forClient(config, "consumer.", ConsumerConfig.configNames()));
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // every read seeks to the start itself; a deletion during a read fails it (PartitionReader)
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        // it reads to end offsets taken before: the layout record, then the checkpoints, on one connection
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, LogReaders.BOUNDED_READ_FETCH_WAIT_MS);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return props;
    }

    /**
     * The fleet's group member: subscribed to the intake topic, its assignment is the member's partitions.
     * Offsets are never read (each assignment reads the intake partition from a lookback); they are committed
     * only to prove the member still holds its assignment.
     *
     * @param groupProtocol {@code consumer} (KIP-848) or {@code classic} (then with the cooperative sticky
     *                      assignor)
     */
    static Map<String, Object> groupConsumer(RunLogConfig config, String groupId, String groupProtocol) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "lsr-recorder-fleet-" + config.chunkTopic());
        props.putAll(forClient(config, "consumer.", ConsumerConfig.configNames()));
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, groupProtocol);
        if ("classic".equals(groupProtocol)) {
            props.put(
                    ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                    org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
        } else {
            // classic-only settings a pass-through may carry are refused by the consumer protocol
            props.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
            props.remove(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
            props.remove(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
        }
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return props;
    }

    /** The fleet's intake producer: idempotent, not transactional (an offered run id is a hint). */
    static Map<String, Object> intakeProducer(RunLogConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "lsr-recorder-intake-" + config.chunkTopic());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, DEFAULT_MAX_BLOCK_MS);
        props.putAll(forClient(config, "producer.", null));
        props.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return props;
    }

    static Map<String, Object> admin(RunLogConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "lsr-recorder-admin-" + config.chunkTopic());
        props.putAll(forClient(config, "admin.", AdminClientConfig.configNames()));
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return props;
    }

    /** The producer's {@code transaction.timeout.ms}: the pass-through value, else the recorder's default. */
    static Duration transactionTimeout(RunLogConfig config) {
        return Duration.ofMillis(
                intProperty(config, ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, DEFAULT_TRANSACTION_TIMEOUT_MS));
    }

    /**
     * How long the recorder waits for a transaction's records to be acknowledged before it aborts and sends
     * the batch again: half the transaction timeout, so the coordinator never aborts a transaction under a
     * committer that still waits for it.
     */
    static Duration commitDeadline(RunLogConfig config) {
        return transactionTimeout(config).dividedBy(2);
    }

    /** The producer's {@code max.request.size}: the pass-through value, else Kafka's default. */
    static int maxRequestSize(RunLogConfig config) {
        return intProperty(config, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (Integer)
                ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
    }

    private static int intProperty(RunLogConfig config, String name, int defaultValue) {
        Object value = forClient(config, "producer.", null).get(name);
        if (value == null) {
            return defaultValue;
        }
        return Integer.parseInt(value.toString().trim()); // an integer: RunLogConfig.checkPassThrough
    }

    /** The unprefixed properties {@code names} knows (all when null), then the ones with {@code prefix}, stripped. */
    private static Map<String, String> forClient(RunLogConfig config, String prefix, Set<String> names) {
        Map<String, String> general = new HashMap<>();
        Map<String, String> specific = new HashMap<>();
        config.kafkaProperties().forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                specific.put(key.substring(prefix.length()), value);
            } else if (!isClientPrefixed(key) && (names == null || names.contains(key))) {
                general.put(key, value);
            }
        });
        general.putAll(specific);
        return general;
    }

    private static boolean isClientPrefixed(String key) {
        return CLIENT_PREFIXES.stream().anyMatch(key::startsWith);
    }
}
