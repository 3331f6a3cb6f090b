package dev.lsr.kafka.junit.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.kafka.common.utils.internals.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

class KafkaImageTest {

    @Test
    void theContainerImageIsApacheKafkaAtTheVersionOfTheKafkaJarsInThisBuild() {
        assertEquals("apache/kafka:" + AppInfoParser.getVersion(), KafkaImage.publicName());
        // CI may run with -Dlsr.kafka.image naming a locally built stand-in; without it the public image runs.
        if (System.getProperty(KafkaImage.IMAGE_PROPERTY) == null) {
            assertEquals(KafkaImage.publicName(), KafkaImage.name());
        }
    }

    @Test
    void aLocallyBuiltStandInIsAcceptedByKafkaContainerWhereItsBareNameIsRefused() {
        String local = "lsr-local/kafka:" + AppInfoParser.getVersion() + "-0123456789ab";
        assertThrows(IllegalStateException.class, () -> new KafkaContainer(DockerImageName.parse(local)).close());
        // Constructing is enough: KafkaContainer checks compatibility there, without Docker.
        assertDoesNotThrow(() -> new KafkaContainer(KafkaImage.dockerImageName(local)).close());
    }
}
