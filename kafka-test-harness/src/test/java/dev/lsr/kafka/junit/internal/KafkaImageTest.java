package dev.lsr.kafka.junit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.common.utils.internals.AppInfoParser;
import org.junit.jupiter.api.Test;

class KafkaImageTest {

    @Test
    void theContainerImageIsApacheKafkaAtTheVersionOfTheKafkaJarsInThisBuild() {
        assertEquals("apache/kafka:" + AppInfoParser.getVersion(), KafkaImage.name());
    }
}
