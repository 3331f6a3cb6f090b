package dev.lsr.recorder.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunLogConfigTest {

    @Test
    void defaultsFitTheChunkLogConventions() {
        RunLogConfig config = RunLogConfig.builder("127.0.0.1:9092").build();

        assertEquals("letta.chunks", config.chunkTopic());
        assertEquals("letta.chunks.checkpoints", config.checkpointTopic());
        assertEquals(Duration.ofMillis(10), config.commitWindow());
        assertTrue(config.ownedPartitions().isEmpty(), "owns all partitions");
    }

    @Test
    void toStringNeverShowsPropertyValues() {
        RunLogConfig config = RunLogConfig.builder("127.0.0.1:9092")
                .kafkaProperty("sasl.jaas.config", "PlainLoginModule required username=\"u\" password=\"hunter2\";")
                .kafkaProperty("ssl.key.password", "s3cret")
                .build();

        String text = config.toString();

        assertFalse(text.contains("hunter2"), text);
        assertFalse(text.contains("s3cret"), text);
        assertTrue(text.contains("sasl.jaas.config"), text);
    }

    @Test
    void refusesPropertiesExactlyOnceDependsOn() {
        for (String key : new String[] {
            "transactional.id",
            "enable.idempotence",
            "acks",
            "isolation.level",
            "producer.acks",
            "consumer.isolation.level",
            "consumer.auto.offset.reset"
        }) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> RunLogConfig.builder("127.0.0.1:9092")
                            .kafkaProperty(key, "x")
                            .build());
            assertEquals("kafka property '" + key + "' is set by the recorder itself", e.getMessage());
        }
    }

    @Test
    void refusesSettingsThatCannotWork() {
        assertThrows(
                IllegalArgumentException.class, () -> RunLogConfig.builder(" ").build());
        assertThrows(
                IllegalArgumentException.class,
                () -> RunLogConfig.builder("h:1").partitions(0).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> RunLogConfig.builder("h:1").commitWindow(Duration.ZERO).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> RunLogConfig.builder("h:1")
                        .maxBatchBytes(1_000)
                        .maxPendingBytes(999)
                        .build());
    }
}
