package dev.lsr.recorder.log.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.RealKafka;
import dev.lsr.recorder.log.RunLogConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.Test;

/**
 * A chunk topic that exists but that the broker's metadata does not show yet (just created by a test or
 * by another recorder starting at the same time): the setup's creation then meets "topic exists", and
 * the checkpoint topic must get the existing topic's partition count, not the configured one.
 */
@RealKafka
class TopicSetupRaceIT {

    @Test
    void aChunkTopicCreatedMeanwhileGivesItsPartitionCountToTheCheckpointTopic(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("raced");
        broker.createTopic(topic, 4);
        RunLogConfig config = RunLogConfig.builder(broker.bootstrapServers())
                .chunkTopic(topic)
                .partitions(2)
                .replicationFactor((short) 1)
                .build();

        TopicLayout layout;
        try (LaggingMetadataAdmin admin = new LaggingMetadataAdmin(broker.bootstrapServers(), Set.of(topic))) {
            layout = new TopicSetup(admin, config, Deadline.after(Duration.ofSeconds(30))).ensure();
        }

        assertEquals(4, layout.partitions());
        assertEquals(
                4,
                broker.admin()
                        .describeTopics(List.of(config.checkpointTopic()))
                        .allTopicNames()
                        .get()
                        .get(config.checkpointTopic())
                        .partitions()
                        .size());
    }

    /** A real admin client whose first description of each given topic says it does not exist. */
    private static final class LaggingMetadataAdmin extends ForwardingAdmin {

        private final Set<String> hiddenOnce;

        LaggingMetadataAdmin(String bootstrapServers, Set<String> hiddenOnce) {
            super(Map.of("bootstrap.servers", bootstrapServers));
            this.hiddenOnce = new HashSet<>(hiddenOnce);
        }

        @Override
        public DescribeTopicsResult describeTopics(TopicCollection topics, DescribeTopicsOptions options) {
            Map<String, KafkaFuture<TopicDescription>> futures =
                    new HashMap<>(super.describeTopics(topics, options).topicNameValues());
            for (String name : List.copyOf(futures.keySet())) {
                if (hiddenOnce.remove(name)) {
                    KafkaFutureImpl<TopicDescription> unknown = new KafkaFutureImpl<>();
                    unknown.completeExceptionally(
                            new UnknownTopicOrPartitionException("not in this broker's metadata yet"));
                    futures.put(name, unknown);
                }
            }
            return new DescribeTopicsResult(null, futures) {};
        }
    }
}
