package dev.lsr.bench.system.internal;

import dev.lsr.kafka.EmbeddedKafkaBroker;
import dev.lsr.kafka.InDoubtTransactions;
import dev.lsr.kafka.PartitionLeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The one broker of a benchmark run (embedded, port 0, temp dir) and the plain clients the baselines
 * and probes use. Every scenario and every trial gets fresh topics, so trials do not read each
 * other's data; the broker stays the same for the baseline and our code.
 */
public final class BenchKafka implements AutoCloseable {

    private final EmbeddedKafkaBroker broker;
    private final Admin admin;

    private BenchKafka(EmbeddedKafkaBroker broker) {
        this.broker = broker;
        this.admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
    }

    public static BenchKafka start() {
        return new BenchKafka(EmbeddedKafkaBroker.builder().port(0).start());
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Creates a chunk topic and its compacted checkpoint topic, as the recorder would. */
    public void createChunkTopics(String chunkTopic, int partitions) {
        createTopics(List.of(
                new NewTopic(chunkTopic, partitions, (short) 1),
                new NewTopic(chunkTopic + ".checkpoints", partitions, (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
    }

    public void createTopic(String topic, int partitions) {
        createTopics(List.of(new NewTopic(topic, partitions, (short) 1)));
    }

    /** Deletes topics to give the disk back; waits for the broker to accept the request. */
    public void deleteTopics(Set<String> topics) {
        try {
            admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // best effort: a leftover topic only costs disk
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Bytes the broker stores for {@code topic} (all partitions, all log dirs): what compression saves. */
    public long sizeOnDisk(String topic) {
        try {
            List<Integer> brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream()
                    .map(org.apache.kafka.common.Node::id)
                    .toList();
            long bytes = 0;
            for (var dirs : admin.describeLogDirs(brokers)
                    .allDescriptions()
                    .get(30, TimeUnit.SECONDS)
                    .values()) {
                for (var dir : dirs.values()) {
                    bytes += dir.replicaInfos().entrySet().stream()
                            .filter(e -> e.getKey().topic().equals(topic))
                            .mapToLong(e -> e.getValue().size())
                            .sum();
                }
            }
            return bytes;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot measure " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void createTopics(List<NewTopic> topics) {
        try {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
            List<TopicPartition> created = new ArrayList<>();
            topics.forEach(topic -> {
                for (int p = 0; p < topic.numPartitions(); p++) {
                    created.add(new TopicPartition(topic.name(), p));
                }
            });
            PartitionLeaders.await(admin, created, Duration.ofSeconds(60));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics " + topics + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Waits until every transaction written to {@code topic} so far is committed or aborted, so that a
     * read_committed read to the end offsets sees all of it (commit markers reach the partitions just
     * after {@code commitTransaction} returns).
     */
    public void awaitTransactionsResolved(String topic) {
        InDoubtTransactions.awaitResolved(admin, topic, Duration.ofSeconds(60));
    }

    /** A plain idempotent producer (acks=all, Kafka's defaults otherwise): the baseline producer. */
    public KafkaProducer<byte[], byte[]> idempotentProducer(Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.putAll(overrides);
        return new KafkaProducer<>(props);
    }

    /** A transactional producer with the given id (for filling logs fast). */
    public KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId) {
        return idempotentProducer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                transactionalId,
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024));
    }

    /** The client properties for our consumer library (it sets isolation and deserializers itself). */
    public Map<String, Object> clientProperties() {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    }

    /** A raw read_committed consumer without group (Kafka's defaults otherwise): the baseline reader. */
    public KafkaConsumer<byte[], byte[]> readCommittedConsumer() {
        return readCommittedConsumer(Map.of());
    }

    /** The same, with {@code overrides} on top. */
    public KafkaConsumer<byte[], byte[]> readCommittedConsumer(Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.putAll(overrides);
        return new KafkaConsumer<>(props);
    }

    @Override
    public void close() {
        admin.close();
        broker.close();
    }
}
