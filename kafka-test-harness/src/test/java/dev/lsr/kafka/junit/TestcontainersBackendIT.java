package dev.lsr.kafka.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lsr.kafka.junit.internal.ContainerBackend;
import dev.lsr.kafka.junit.internal.KafkaImage;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/** Runs the Testcontainers backend explicitly; skipped where no Docker engine is reachable. */
class TestcontainersBackendIT {

    @Test
    void theApacheKafkaContainerServesTransactions() throws Exception {
        assumeTrue(
                DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine reachable: the Testcontainers backend cannot run here (the embedded backend is tested instead)");

        try (ContainerBackend backend = ContainerBackend.start(KafkaImage.name())) {
            assertEquals(Backend.TESTCONTAINERS, backend.backend());
            String topic = "testcontainers-backend";
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, backend.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
                        .all()
                        .get();
            }
            try (KafkaProducer<String, String> producer =
                    Clients.transactionalProducer(backend.bootstrapServers(), "testcontainers-backend-tx")) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "key", "committed"));
                producer.commitTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "key", "aborted"));
                producer.flush();
                producer.abortTransaction();
            }
            assertEquals(List.of("committed"), Clients.readAll(backend.bootstrapServers(), topic, "read_committed"));
        }
    }
}
