package dev.lsr.kafka.junit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The Docker image for the Testcontainers backend: {@code apache/kafka} at the build's
 * {@code kafka.version} (filtered into this jar), or the {@code lsr.kafka.image} system property.
 */
public final class KafkaImage {

    /** System property overriding the image. */
    public static final String IMAGE_PROPERTY = "lsr.kafka.image";

    private static final String RESOURCE = "/dev/lsr/kafka/junit/kafka-test-harness.properties";

    private KafkaImage() {
    }

    /** The image name to run, e.g. {@code apache/kafka:4.4.0}. */
    public static String name() {
        String override = System.getProperty(IMAGE_PROPERTY);
        if (override != null && !override.isBlank()) {
            return override.strip();
        }
        return "apache/kafka:" + buildProperties().getProperty("kafka.version");
    }

    private static Properties buildProperties() {
        Properties properties = new Properties();
        try (InputStream in = KafkaImage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the kafka-test-harness jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
