package dev.lsr.kafka.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lsr.kafka.junit.internal.ContainerBackend;
import dev.lsr.kafka.junit.internal.ContainerReadiness;
import dev.lsr.kafka.junit.internal.KafkaImage;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Runs the Testcontainers backend explicitly; skipped where containers cannot run (the embedded backend is tested
 * instead), failed where {@code lsr.kafka.backend=testcontainers} asks for them.
 */
class TestcontainersBackendIT {

    @Test
    void theApacheKafkaContainerServesTransactions() throws Exception {
        KafkaCluster.assumeContainersCanRun();

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

    /**
     * An engine that answers is not enough: an image that is neither on the machine nor pullable (a registry out of
     * reach, or no such image) makes containers unready at once, naming the image, instead of sending container
     * starts into Testcontainers' pull retries.
     */
    @Test
    void anImageNeitherHereNorPullableMakesContainersUnready() {
        assumeTrue(ContainerReadiness.engineAnswers(), "no Docker engine reachable");
        String missing = "lsr-local/no-such-image:0";

        ContainerReadiness readiness = ContainerReadiness.of(List.of(missing));

        assertFalse(readiness.ready(), readiness.reason());
        assertTrue(readiness.reason().contains("image " + missing + " is not on this machine"), readiness.reason());
    }
}
