package dev.lsr.recorder.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.RealKafka;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/** Topics that do not fit the conventions stop the recorder at start with one clear line. */
@RealKafka
class TopicCheckIT {

    private static RunLog log(KafkaBroker broker, String topic) {
        return KafkaRunLog.create(
                RunLogConfig.builder(broker.bootstrapServers())
                        .chunkTopic(topic)
                        .partitions(2)
                        .replicationFactor((short) 1)
                        .build(),
                RunLogListener.NONE,
                Clock.systemUTC());
    }

    @Test
    void aCheckpointTopicThatIsNotCompactedIsRefused(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("not-compacted");
        broker.createTopic(topic, 2);
        broker.createTopic(topic + ".checkpoints", 2);

        RunLog log = log(broker, topic);
        RunLogStartException e = assertThrows(RunLogStartException.class, log::start);

        assertEquals(
                "topic " + topic + ".checkpoints has cleanup.policy=delete; it must be compact (the recorder"
                        + " reads every run's last checkpoint from it)",
                e.getMessage());
        log.close();
        assertThrows(
                RunLogClosedException.class,
                () -> log.append(Records.chunk("run-a", 1), dev.lsr.chunklog.RunState.ACTIVE));
    }

    /**
     * {@code compact,delete} with a finite retention deletes old checkpoints by age: a run whose last checkpoint
     * went would be recorded again from its start after a restart. Before, such a topic was accepted silently.
     */
    @Test
    void aCheckpointTopicThatAlsoDeletesByAgeIsRefused(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("compact-delete");
        broker.createTopic(topic, 2);
        broker.admin()
                .createTopics(List.of(new NewTopic(topic + ".checkpoints", 2, (short) 1)
                        .configs(Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                                TopicConfig.RETENTION_MS_CONFIG,
                                "3600000"))))
                .all()
                .get();

        try (RunLog log = log(broker, topic)) {
            RunLogStartException e = assertThrows(RunLogStartException.class, log::start);
            assertEquals(
                    "topic " + topic + ".checkpoints has cleanup.policy=compact,delete with retention.ms=3600000"
                            + " and retention.bytes=-1: Kafka would delete old checkpoints, and a run whose last"
                            + " checkpoint went would be recorded again from its start; set cleanup.policy=compact"
                            + " (compaction alone keeps the topic small)",
                    e.getMessage());
        }
    }

    @Test
    void chunkAndCheckpointTopicsWithDifferentPartitionCountsAreRefused(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("mismatch");
        broker.admin()
                .createTopics(List.of(
                        new NewTopic(topic, 3, (short) 1),
                        new NewTopic(topic + ".checkpoints", 2, (short) 1)
                                .configs(
                                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                .all()
                .get();

        try (RunLog log = log(broker, topic)) {
            RunLogStartException e = assertThrows(RunLogStartException.class, log::start);
            assertEquals(
                    "topic " + topic + " has 3 partitions but " + topic + ".checkpoints has 2; they must match"
                            + " (a run's checkpoint lives in the same partition number as its chunks)",
                    e.getMessage());
        }
    }

    @Test
    void anExistingChunkTopicKeepsItsPartitionCountAndGetsAMatchingCheckpointTopic(KafkaBroker broker)
            throws Exception {
        String topic = broker.uniqueTopic("existing");
        broker.createTopic(topic, 4);

        try (RunLog log = log(broker, topic)) {
            log.start();
            for (int i = 0; i < 20; i++) {
                log.append(Records.chunk("run-" + i, 1), dev.lsr.chunklog.RunState.ACTIVE);
            }
            log.flush();
            assertEquals(20, log.activeRuns().size());
        }
        assertEquals(
                4,
                broker.admin()
                        .describeTopics(List.of(topic + ".checkpoints"))
                        .allTopicNames()
                        .get()
                        .get(topic + ".checkpoints")
                        .partitions()
                        .size());
        assertTrue(
                Topics.readCommitted(broker.bootstrapServers(), topic).stream()
                        .allMatch(r -> r.partition()
                                == dev.lsr.chunklog.TopicConventions.partitionFor(
                                        new String(r.key(), java.nio.charset.StandardCharsets.UTF_8), 4)),
                "runs keep their partition");
    }
}
