package dev.lsr.recorder.log;

import static dev.lsr.recorder.log.Records.chunk;
import static dev.lsr.recorder.log.Records.expired;
import static dev.lsr.recorder.log.Records.finished;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RunState;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.RealKafka;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The checkpoints are the truth about what was recorded: a lost checkpoint topic, an unreadable
 * checkpoint or grown partitions never make the recorder record a run again from the start.
 */
@RealKafka
class CheckpointIntegrityIT {

    private static final int PARTITIONS = 2;

    private static RunLogConfig config(KafkaBroker broker, String topic) {
        return RunLogConfig.builder(broker.bootstrapServers())
                .chunkTopic(topic)
                .partitions(PARTITIONS)
                .replicationFactor((short) 1)
                .build();
    }

    private static RunLog start(RunLogConfig config, Clock clock) {
        RunLog log = KafkaRunLog.create(config, RunLogListener.NONE, clock);
        log.start();
        return log;
    }

    /** Ten runs at seq 5, run-0 and run-1 finished: a recorded log. */
    private static void record(RunLogConfig config, Clock clock) {
        try (RunLog log = start(config, clock)) {
            for (int i = 0; i < 10; i++) {
                for (long seq = 1; seq <= 5; seq++) {
                    log.append(chunk("run-" + i, seq), RunState.ACTIVE);
                }
            }
            log.append(finished("run-0", 5), RunState.FINISHED);
            log.append(finished("run-1", 5), RunState.FINISHED);
            log.flush();
        }
    }

    @Test
    void aMissingCheckpointTopicNextToARecordedChunkTopicIsRefusedNotRecreatedEmpty(KafkaBroker broker)
            throws Exception {
        String topic = broker.uniqueTopic("lost-checkpoints");
        RunLogConfig config = config(broker, topic);
        record(config, Clock.systemUTC());
        deleteTopic(broker, topic + ".checkpoints");

        assertRefused(
                config, "--rebuild-checkpoints", "a recreated empty checkpoint topic would make every run look new");
    }

    @Test
    void anEmptyCheckpointTopicNextToARecordedChunkTopicIsRefused(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("empty-checkpoints");
        RunLogConfig config = config(broker, topic);
        record(config, Clock.systemUTC());
        deleteTopic(broker, topic + ".checkpoints");
        broker.admin()
                .createTopics(List.of(new NewTopic(topic + ".checkpoints", PARTITIONS, (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                .all()
                .get();

        assertRefused(config, "has no checkpoint", "an empty checkpoint topic would make every run look new");
    }

    @Test
    void rebuildingTheCheckpointsFromTheChunkLogRestoresEveryRunsLastPositionAndState(KafkaBroker broker)
            throws Exception {
        String topic = broker.uniqueTopic("rebuild");
        RunLogConfig config = config(broker, topic);
        record(config, Clock.systemUTC());
        Map<String, Checkpoint> before = Topics.lastCheckpoints(broker.bootstrapServers(), topic);
        deleteTopic(broker, topic + ".checkpoints");

        assertRebuiltAsBefore(config, before);
        // written back: a plain restart restores them
        assertRestoredAsRecorded(config);
    }

    @Test
    void checkpointsDeletedFromAPartitionsStartAreRefusedNotTakenForNewRuns(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("deleted-checkpoints");
        RunLogConfig config = config(broker, topic);
        createCheckpointTopicThatAllowsDeletions(broker, topic);
        record(config, Clock.systemUTC());
        // an operator's deleteRecords: the partition keeps its end offset, its records before it are gone
        deleteCheckpointsBefore(broker, topic, 0, endOffset(broker, topic + ".checkpoints", 0));

        assertRefused(
                config,
                "--rebuild-checkpoints",
                "runs whose checkpoints were deleted would be recorded again from their start");
    }

    @Test
    void aRebuildCoversTheDeletionItFollowsAndNoLaterOne(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("rebuild-deleted");
        RunLogConfig config = config(broker, topic);
        createCheckpointTopicThatAllowsDeletions(broker, topic);
        record(config, Clock.systemUTC());
        Map<String, Checkpoint> before = Topics.lastCheckpoints(broker.bootstrapServers(), topic);
        for (int partition = 0; partition < PARTITIONS; partition++) {
            String checkpoints = topic + ".checkpoints";
            deleteCheckpointsBefore(broker, topic, partition, endOffset(broker, checkpoints, partition) / 2);
        }

        assertRebuiltAsBefore(config, before);
        // the rebuild is recorded next to what it covers: a plain restart takes the partitions
        assertRestoredAsRecorded(config);
        // a later deletion is not covered by the earlier rebuild
        deleteCheckpointsBefore(broker, topic, 1, endOffset(broker, topic + ".checkpoints", 1));
        assertRefused(config, "partitions [1]", "a deletion after the rebuild loses checkpoints again");
    }

    @Test
    void aRunWhoseLastCheckpointIsUnreadableIsNeverTakenForANewRun(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("unreadable");
        RunLogConfig config = config(broker, topic);
        record(config, Clock.systemUTC());
        // a newer recorder (rolled back since) wrote a state this one does not know
        String newer = "{\"run_id\":\"run-3\",\"position\":\"9\",\"state\":\"PAUSED\",\"format_version\":1}";
        produce(broker, topic + ".checkpoints", TopicConventions.partitionFor("run-3", PARTITIONS), "run-3", newer);

        try (RunLog log = start(config, Clock.systemUTC())) {
            assertFalse(log.activeRuns().containsKey("run-3"));
            UnreadableCheckpointException e = assertThrows(
                    UnreadableCheckpointException.class,
                    () -> log.checkpoint("run-3"),
                    "an unknown run is recorded again from seq 1");
            assertEquals("run-3", e.runId());
            assertEquals(
                    Position.ofSeq(5), log.checkpoint("run-4").orElseThrow().lastPosition());
        }
    }

    @Test
    void aCheckpointInAPartitionItsRunDoesNotHashToIsIgnored(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("misplaced");
        RunLogConfig config = config(broker, topic);
        record(config, Clock.systemUTC());
        int home = TopicConventions.partitionFor("run-ghost", PARTITIONS);
        produce(
                broker,
                topic + ".checkpoints",
                (home + 1) % PARTITIONS,
                "run-ghost",
                new String(
                        Checkpoint.of("run-ghost", Position.ofSeq(3), RunState.ACTIVE, null, null, Instant.now())
                                .toJson(),
                        UTF_8));

        try (RunLog log = start(config, Clock.systemUTC())) {
            assertFalse(log.activeRuns().containsKey("run-ghost"), "a misplaced checkpoint is stale");
            assertTrue(log.checkpoint("run-ghost").isEmpty());
            assertEquals(8, log.activeRuns().size());
        }
    }

    @Test
    void partitionsGrownSinceTheLogWasCreatedAreRefused(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("grown");
        RunLogConfig config = config(broker, topic);
        record(config, Clock.systemUTC());
        broker.admin()
                .createPartitions(
                        Map.of(topic, NewPartitions.increaseTo(4), topic + ".checkpoints", NewPartitions.increaseTo(4)))
                .all()
                .get();

        assertRefused(
                config,
                "created with 2 partitions",
                "runs would move to other partitions than their records and checkpoints");
    }

    @Test
    void theCheckpointTopicIsCreatedToCompactSoon(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("compaction");
        try (RunLog log = start(config(broker, topic), Clock.systemUTC())) {
            assertTrue(log.activeRuns().isEmpty());
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic + ".checkpoints");
        var configs =
                broker.admin().describeConfigs(List.of(resource)).all().get().get(resource);
        assertEquals("3600000", configs.get(TopicConfig.SEGMENT_MS_CONFIG).value());
        assertEquals("8388608", configs.get(TopicConfig.SEGMENT_BYTES_CONFIG).value());
        assertEquals(
                "0.1", configs.get(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG).value());
        assertEquals(
                "86400000", configs.get(TopicConfig.DELETE_RETENTION_MS_CONFIG).value());
    }

    @Test
    void runsFinishedLongerAgoThanTheCatchUpWindowGetTombstones(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("tombstones");
        RunLogConfig config = config(broker, topic);
        Clock fourHoursAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-4));
        record(config, fourHoursAgo);
        try (RunLog log = start(config, fourHoursAgo)) {
            log.append(chunk("run-expired", 1), RunState.ACTIVE);
            log.append(expired("run-expired", 1), RunState.EXPIRED);
            log.flush();
        }
        try (RunLog log = start(config, Clock.systemUTC())) {
            log.append(chunk("run-fresh", 1), RunState.ACTIVE);
            log.append(finished("run-fresh", 1), RunState.FINISHED);
            log.flush();
        }

        try (RunLog log = start(config, Clock.systemUTC())) {
            assertTrue(log.checkpoint("run-0").isEmpty(), "finished 4h ago, past the 3h catch-up window");
            assertEquals(
                    RunState.FINISHED, log.checkpoint("run-fresh").orElseThrow().state());
            assertEquals(
                    RunState.EXPIRED,
                    log.checkpoint("run-expired").orElseThrow().state(),
                    "Letta may still list a run whose stream expired as active: its checkpoint is kept");
            assertEquals(8, log.activeRuns().size(), "active runs keep their checkpoints whatever their age");
        }
        assertEquals(Set.of("run-0", "run-1"), tombstoned(broker, topic));
    }

    /**
     * A run that finished while Letta still lists it as active (its status stuck at {@code running}) keeps its
     * checkpoint: the watcher lists it at every round, and without the checkpoint would attach it again.
     */
    @Test
    void aRunFinishedLongAgoThatLettaStillListsAsActiveKeepsItsCheckpoint(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("tombstones-listed");
        RunLogConfig config = config(broker, topic);
        record(config, Clock.offset(Clock.systemUTC(), Duration.ofHours(-4)));

        try (RunLog log = start(
                config.toBuilder().activeRuns(() -> Set.of("run-1", "run-5")).build(), Clock.systemUTC())) {
            assertTrue(log.checkpoint("run-0").isEmpty(), "finished 4h ago and no longer listed");
            assertEquals(
                    RunState.FINISHED, log.checkpoint("run-1").orElseThrow().state(), "still listed as active");
        }
        assertEquals(Set.of("run-0"), tombstoned(broker, topic));
    }

    @Test
    void noCheckpointIsRemovedWhenLettaCannotSayWhichRunsItStillLists(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("tombstones-unlisted");
        RunLogConfig config = config(broker, topic);
        record(config, Clock.offset(Clock.systemUTC(), Duration.ofHours(-4)));
        ActiveRunListing down = () -> {
            throw new java.io.IOException("connection refused");
        };

        try (RunLog log = start(config.toBuilder().activeRuns(down).build(), Clock.systemUTC())) {
            assertEquals(
                    RunState.FINISHED, log.checkpoint("run-0").orElseThrow().state());
            assertEquals(
                    RunState.FINISHED, log.checkpoint("run-1").orElseThrow().state());
        }
        assertEquals(Set.of(), tombstoned(broker, topic));
        try (RunLog log = start(config, Clock.systemUTC())) {
            assertTrue(log.checkpoint("run-0").isEmpty(), "the next start that can ask removes them");
        }
    }

    private static Set<String> tombstoned(KafkaBroker broker, String topic) {
        Set<String> tombstoned = new java.util.HashSet<>();
        Topics.readCommitted(broker.bootstrapServers(), topic + ".checkpoints").stream()
                .filter(r -> r.value() == null)
                .forEach(r -> tombstoned.add(new String(r.key(), UTF_8)));
        return tombstoned;
    }

    /** Started with {@code rebuildCheckpoints}: every run's position, state and agent as recorded. */
    private static void assertRebuiltAsBefore(RunLogConfig config, Map<String, Checkpoint> before) {
        try (RunLog log = start(config.toBuilder().rebuildCheckpoints(true).build(), Clock.systemUTC())) {
            assertEquals(8, log.activeRuns().size());
            for (Checkpoint original : before.values()) {
                Checkpoint rebuilt = log.checkpoint(original.runId()).orElseThrow();
                assertEquals(original.lastPosition(), rebuilt.lastPosition(), original.runId());
                assertEquals(original.state(), rebuilt.state(), original.runId());
                assertEquals(original.agentId(), rebuilt.agentId(), original.runId());
            }
        }
    }

    /** A plain start takes the partitions and finds what {@link #record} left. */
    private static void assertRestoredAsRecorded(RunLogConfig config) {
        try (RunLog log = start(config, Clock.systemUTC())) {
            assertEquals(8, log.activeRuns().size());
            assertEquals(
                    RunState.FINISHED, log.checkpoint("run-0").orElseThrow().state());
        }
    }

    private static void assertRefused(RunLogConfig config, String reason, String why) {
        try (RunLog log = KafkaRunLog.create(config, RunLogListener.NONE, Clock.systemUTC())) {
            RunLogStartException e = assertThrows(RunLogStartException.class, log::start, why);
            assertTrue(e.getMessage().contains(reason), e.getMessage());
        }
    }

    /**
     * Kafka refuses {@code deleteRecords} on a compact-only topic; {@code compact,delete} with unlimited retention
     * keeps every run's last checkpoint (the recorder accepts it) and lets an operator delete records.
     */
    private static void createCheckpointTopicThatAllowsDeletions(KafkaBroker broker, String topic) throws Exception {
        broker.admin()
                .createTopics(List.of(new NewTopic(topic + ".checkpoints", PARTITIONS, (short) 1)
                        .configs(Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                                TopicConfig.RETENTION_MS_CONFIG,
                                "-1"))))
                .all()
                .get();
    }

    private static long endOffset(KafkaBroker broker, String topic, int partition) throws Exception {
        TopicPartition tp = new TopicPartition(topic, partition);
        return broker.admin()
                .listOffsets(Map.of(tp, OffsetSpec.latest()))
                .partitionResult(tp)
                .get()
                .offset();
    }

    private static void deleteCheckpointsBefore(KafkaBroker broker, String topic, int partition, long offset)
            throws Exception {
        assertTrue(offset > 0, "the checkpoint partition holds records to delete");
        broker.admin()
                .deleteRecords(Map.of(
                        new TopicPartition(topic + ".checkpoints", partition), RecordsToDelete.beforeOffset(offset)))
                .all()
                .get();
    }

    private static void deleteTopic(KafkaBroker broker, String topic) throws Exception {
        broker.admin().deleteTopics(List.of(topic)).all().get();
        await(topic + " no longer listed after its deletion")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !broker.admin().listTopics().names().get().contains(topic));
    }

    private static void produce(KafkaBroker broker, String topic, int partition, String key, String value)
            throws Exception {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(
                            topic, partition, key.getBytes(UTF_8), value == null ? null : value.getBytes(UTF_8)))
                    .get();
        }
    }
}
