package dev.lsr.recorder.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.RealKafka;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/** Topics the recorder creates carry the durability settings an operator expects. */
@RealKafka
class TopicDurabilityIT {

    @Test
    void createdTopicsGetTheBrokersReplicationFactorAndMinInsyncReplicasOfAtMostTwo(KafkaBroker broker)
            throws Exception {
        String topic = broker.uniqueTopic("durability");
        RunLogConfig config = RunLogConfig.builder(broker.bootstrapServers())
                .chunkTopic(topic)
                .partitions(2)
                .build();
        try (RunLog log = KafkaRunLog.create(config, RunLogListener.NONE, Clock.systemUTC())) {
            log.start();
        }
        for (String name : List.of(topic, topic + ".checkpoints")) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
            Config configs = broker.admin()
                    .describeConfigs(List.of(resource))
                    .all()
                    .get()
                    .get(resource);
            ConfigEntry minIsr = configs.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
            // the test broker is a single one with default.replication.factor=1: min(2, 1)
            assertEquals("1", minIsr.value(), name);
            assertEquals(
                    ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG,
                    minIsr.source(),
                    name + ": set on the topic, not left to the broker's default");
            assertEquals(
                    1,
                    broker.admin()
                            .describeTopics(List.of(name))
                            .allTopicNames()
                            .get()
                            .get(name)
                            .partitions()
                            .getFirst()
                            .replicas()
                            .size(),
                    name);
        }
    }
}
