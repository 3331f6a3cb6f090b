package dev.lsr.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBrokerRestartIT {

    private static final String TOPIC = "restart-test";
    private static final String TRANSACTIONAL_ID = "restart-test-tx";

    @TempDir
    Path dataDir;

    @Test
    void aBrokerRestartedOnTheSameDataDirKeepsItsTopicsRecordsAndTransactionalIds() throws Exception {
        String clusterId;
        int port;
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().dataDir(dataDir).port(0).start()) {
            clusterId = broker.clusterId();
            port = broker.port();
            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)))
                        .all()
                        .get();
            }
            produceInTransaction(broker, "before-restart");
        }
        assertTrue(Files.exists(dataDir.resolve("meta.properties")), "data dir must survive close");

        // The same port, as a daemon restarted on its configured port would use.
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().dataDir(dataDir).port(port).start()) {
            assertEquals(clusterId, broker.clusterId(), "a formatted dir must not be reformatted");
            try (Admin admin = admin(broker)) {
                assertTrue(admin.listTopics().names().get().contains(TOPIC));
            }
            produceInTransaction(broker, "after-restart");

            assertEquals(List.of("before-restart", "after-restart"), readCommitted(broker));
        }

        // And on another port: the controller quorum is static, so ports are free to change.
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().dataDir(dataDir).port(0).start()) {
            produceInTransaction(broker, "after-second-restart");
            assertEquals(List.of("before-restart", "after-restart", "after-second-restart"), readCommitted(broker));
        }
    }

    @Test
    void aBrokerStartedWithoutDataDirDeletesItsTemporaryDirOnClose() {
        Path tempDir;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start()) {
            tempDir = broker.dataDir();
            assertTrue(Files.isDirectory(tempDir));
            assertTrue(broker.port() > 0);
            assertEquals("127.0.0.1:" + broker.port(), broker.bootstrapServers());
        }
        assertFalse(Files.exists(tempDir));
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static void produceInTransaction(EmbeddedKafkaBroker broker, String value) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                TRANSACTIONAL_ID,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                60_000);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, "key", value));
            producer.commitTransaction();
        }
    }

    private static List<String> readCommitted(EmbeddedKafkaBroker broker) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed");
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(Set.of(partition));
            consumer.seekToBeginning(Set.of(partition));
            long end = consumer.endOffsets(Set.of(partition)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
