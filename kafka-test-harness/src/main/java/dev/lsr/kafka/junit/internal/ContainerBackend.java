package dev.lsr.kafka.junit.internal;

import dev.lsr.kafka.junit.Backend;
import org.testcontainers.kafka.KafkaContainer;

/** Testcontainers' {@link KafkaContainer} configured like the embedded broker (one node, no auto-create). */
public record ContainerBackend(KafkaContainer container) implements RunningBroker {

    /** Starts {@code image} (e.g. {@code apache/kafka:4.4.0}) and waits until it serves. */
    public static ContainerBackend start(String image) {
        KafkaContainer container = new KafkaContainer(KafkaImage.dockerImageName(image))
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_NUM_PARTITIONS", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1");
        return new ContainerBackend(HarnessContainers.start(container));
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public Backend backend() {
        return Backend.TESTCONTAINERS;
    }

    @Override
    public void close() {
        HarnessContainers.stop(container);
    }
}
