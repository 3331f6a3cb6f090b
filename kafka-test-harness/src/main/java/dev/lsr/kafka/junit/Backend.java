package dev.lsr.kafka.junit;

/** Which kind of real broker a {@link KafkaBroker} is. */
public enum Backend {
    /** Testcontainers' {@code KafkaContainer} running the {@code apache/kafka} image in Docker. */
    TESTCONTAINERS,
    /** An {@code EmbeddedKafkaBroker} inside the test JVM. */
    EMBEDDED
}
