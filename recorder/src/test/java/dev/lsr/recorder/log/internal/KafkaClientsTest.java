package dev.lsr.recorder.log.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.lsr.recorder.log.RunLogConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {

    private final RunLogConfig config = RunLogConfig.builder("127.0.0.1:9092")
            .kafkaProperty("security.protocol", "SASL_SSL")
            .kafkaProperty(
                    "sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required"
                            + " username=\"u\" password=\"secret\";")
            .kafkaProperty("linger.ms", "7")
            .kafkaProperty("max.request.size", "4096")
            .kafkaProperty("producer.interceptor.classes", "com.example.ProducerSide")
            .kafkaProperty("consumer.interceptor.classes", "com.example.ConsumerSide")
            .kafkaProperty("consumer.security.protocol", "SSL")
            .build();

    @Test
    void theProducerIsTransactionalIdempotentAndWaitsForAllReplicas() {
        Map<String, Object> props = KafkaClients.producer(config, new PartitionId("letta.chunks", 2));

        assertEquals("lsr-recorder-letta.chunks-2", props.get("transactional.id"));
        assertEquals(true, props.get("enable.idempotence"));
        assertEquals("all", props.get("acks"));
        assertEquals("7", props.get("linger.ms"), "pass-through properties reach the producer");
        assertEquals("SASL_SSL", props.get("security.protocol"));
    }

    @Test
    void theProducersCompressWithTheConfiguredTypeUnlessAPassThroughPropertySaysOtherwise() {
        PartitionId id = new PartitionId("letta.chunks", 0);

        assertEquals("lz4", KafkaClients.producer(config, id).get("compression.type"), "the default");
        assertEquals(
                "zstd",
                KafkaClients.producer(config.toBuilder().compression("zstd").build(), id)
                        .get("compression.type"));
        assertEquals(
                "none",
                KafkaClients.producer(
                                config.toBuilder()
                                        .kafkaProperty("producer.compression.type", "none")
                                        .build(),
                                id)
                        .get("compression.type"),
                "a pass-through property wins");
    }

    @Test
    void theRestoreConsumerReadsCommittedAndGetsOnlyConsumerProperties() {
        Map<String, Object> props = KafkaClients.restoreConsumer(config);

        assertEquals("read_committed", props.get("isolation.level"));
        assertEquals(true, props.containsKey("sasl.jaas.config"));
        assertEquals(false, props.containsKey("linger.ms"));
        assertFalse(props.containsKey("group.id"), "no group: partitions are assigned");
        assertEquals(
                10,
                props.get("fetch.max.wait.ms"),
                "a fetch parked at a partition's end holds the connection's next request this long");
    }

    @Test
    void theAdminGetsOnlyAdminProperties() {
        Map<String, Object> props = KafkaClients.admin(config);

        assertEquals("127.0.0.1:9092", props.get("bootstrap.servers"));
        assertEquals(true, props.containsKey("sasl.jaas.config"));
        assertEquals(false, props.containsKey("max.request.size"));
    }

    @Test
    void aPrefixedPropertyGoesOnlyToItsClientAndWins() {
        assertEquals(
                "com.example.ProducerSide",
                KafkaClients.producer(config, new PartitionId("letta.chunks", 0))
                        .get("interceptor.classes"));
        assertEquals(
                "com.example.ConsumerSide", KafkaClients.restoreConsumer(config).get("interceptor.classes"));
        assertEquals("SSL", KafkaClients.restoreConsumer(config).get("security.protocol"));
        assertFalse(KafkaClients.admin(config).containsKey("interceptor.classes"));
        assertFalse(KafkaClients.producer(config, new PartitionId("letta.chunks", 0))
                .containsKey("consumer.security.protocol"));
    }

    @Test
    void aTransactionFitsOneProducerBatchUnlessTheBatchSizeIsPassedThrough() {
        RunLogConfig defaults = RunLogConfig.builder("127.0.0.1:9092").build();
        assertEquals(
                1_048_576,
                KafkaClients.producer(defaults, new PartitionId("letta.chunks", 0))
                        .get("batch.size"));
        assertEquals(
                4096,
                KafkaClients.producer(config, new PartitionId("letta.chunks", 0))
                        .get("batch.size"),
                "never above max.request.size");
        RunLogConfig passed = defaults.toBuilder()
                .kafkaProperty("producer.batch.size", "65536")
                .build();
        assertEquals(
                "65536",
                KafkaClients.producer(passed, new PartitionId("letta.chunks", 0))
                        .get("batch.size"));
    }

    @Test
    void theRecordLimitComesFromMaxRequestSizeOrKafkasDefault() {
        assertEquals(4096, KafkaClients.maxRequestSize(config));
        assertEquals(
                1_048_576,
                KafkaClients.maxRequestSize(
                        RunLogConfig.builder("127.0.0.1:9092").build()));
    }
}
