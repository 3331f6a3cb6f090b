package dev.lsr.kafka.junit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.testcontainers.utility.DockerImageName;

/**
 * The Docker image for the Testcontainers backend: {@code apache/kafka} at the build's
 * {@code kafka.version} (filtered into this jar), or the {@code lsr.kafka.image} system property,
 * e.g. the image {@code bin/lib/docker-ci.sh} builds locally where no registry is reachable. Any
 * override is taken as a stand-in for {@code apache/kafka}: it must keep that image's start contract.
 */
public final class KafkaImage {

    /** System property overriding the image. */
    public static final String IMAGE_PROPERTY = "lsr.kafka.image";

    private static final String APACHE_KAFKA = "apache/kafka";
    private static final String RESOURCE = "/dev/lsr/kafka/junit/kafka-test-harness.properties";

    private KafkaImage() {}

    /** The image name to run, e.g. {@code apache/kafka:4.4.0}. */
    public static String name() {
        String override = System.getProperty(IMAGE_PROPERTY);
        if (override != null && !override.isBlank()) {
            return override.strip();
        }
        return publicName();
    }

    /** The public image of this build's Kafka version, e.g. {@code apache/kafka:4.4.0}: the one run without an override. */
    public static String publicName() {
        return APACHE_KAFKA + ":" + buildProperties().getProperty("kafka.version");
    }

    /** {@code image} as Testcontainers' {@code KafkaContainer} accepts it: declared compatible with {@code apache/kafka}. */
    public static DockerImageName dockerImageName(String image) {
        return DockerImageName.parse(image).asCompatibleSubstituteFor(APACHE_KAFKA);
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
