package dev.lsr.recorder.log;

import static dev.lsr.recorder.log.Records.bigChunk;
import static dev.lsr.recorder.log.Records.chunk;
import static dev.lsr.recorder.log.Records.finished;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.RunState;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.RealKafka;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/** The exactly-once chunk log against a real broker: append order, checkpoints, restart, oversize. */
@RealKafka
class RunLogIT {

    private static final int PARTITIONS = 3;

    private static RunLogConfig config(KafkaBroker broker, String topic) {
        return RunLogConfig.builder(broker.bootstrapServers())
                .chunkTopic(topic)
                .partitions(PARTITIONS)
                .replicationFactor((short) 1)
                .maxBatchRecords(40)
                .build();
    }

    private static RunLog start(RunLogConfig config, RunLogListener listener) {
        RunLog log = KafkaRunLog.create(config, listener, Clock.systemUTC());
        log.start();
        return log;
    }

    @Test
    void recordsOfManyRunsAreCommittedOnceEachInAppendOrderWithTheirLastPositions(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("chunks");
        RunLogConfig config = config(broker, topic);
        CountingListener listener = new CountingListener();
        List<String> runs = IntStream.range(0, 12).mapToObj(i -> "run-" + i).toList();
        Set<String> finishing = Set.copyOf(runs.subList(0, 4));

        try (RunLog log = start(config, listener);
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> drains = new ArrayList<>();
            for (String run : runs) {
                drains.add(threads.submit(() -> {
                    for (long seq = 1; seq <= 25; seq++) {
                        log.append(chunk(run, seq), RunState.ACTIVE);
                    }
                    if (finishing.contains(run)) {
                        log.append(finished(run, 25), RunState.FINISHED);
                    }
                }));
            }
            for (Future<?> drain : drains) {
                drain.get();
            }
            log.flush();

            Map<String, List<ChunkLogRecord>> byRun = Topics.chunksByRun(broker.bootstrapServers(), topic);
            assertEquals(Set.copyOf(runs), byRun.keySet());
            for (String run : runs) {
                List<String> expected = new ArrayList<>(
                        LongStream.rangeClosed(1, 25).mapToObj(Long::toString).toList());
                if (finishing.contains(run)) {
                    expected.add("finished@25");
                }
                assertEquals(
                        expected, byRun.get(run).stream().map(Records::describe).toList(), run);
            }
            Map<String, Checkpoint> committed = Topics.lastCheckpoints(broker.bootstrapServers(), topic);
            for (String run : runs) {
                Checkpoint checkpoint = log.checkpoint(run).orElseThrow();
                assertEquals(checkpoint, committed.get(run), "the log answers what was committed");
                assertEquals(Position.ofSeq(25), checkpoint.lastPosition());
                assertEquals(finishing.contains(run) ? RunState.FINISHED : RunState.ACTIVE, checkpoint.state());
            }
            assertEquals(
                    runs.stream().filter(r -> !finishing.contains(r)).collect(Collectors.toSet()),
                    log.activeRuns().keySet());
            assertEquals(12 * 25 + 4, listener.committedRecords());
            assertTrue(listener.commits() >= (12 * 25 + 4) / 40, "batched, never one transaction per record");
        }
        assertEquals(
                PARTITIONS,
                broker.admin()
                        .describeTopics(List.of(topic + ".checkpoints"))
                        .allTopicNames()
                        .get()
                        .get(topic + ".checkpoints")
                        .partitions()
                        .size());
    }

    /**
     * The committer has the whole batch in the producer when it waits for the acknowledgements, so it flushes
     * instead of letting the records linger: before, every transaction waited {@code linger.ms} (5 ms by Kafka's
     * default) for its acknowledgements. Shown with a linger far longer than a commit takes: one transaction of
     * two records (the chunk and its checkpoint) must not take it.
     */
    @Test
    void aTransactionDoesNotWaitForTheProducersLinger(KafkaBroker broker) {
        String topic = broker.uniqueTopic("linger");
        Duration linger = Duration.ofSeconds(12); // at most delivery.timeout.ms (45 s) - request.timeout.ms (30 s)
        RunLogConfig config = RunLogConfig.builder(broker.bootstrapServers())
                .chunkTopic(topic)
                .partitions(PARTITIONS)
                .replicationFactor((short) 1)
                .kafkaProperty("producer.linger.ms", Long.toString(linger.toMillis()))
                .build();
        List<CommitStats> commits = new java.util.concurrent.CopyOnWriteArrayList<>();
        RunLogListener listener = new RunLogListener() {
            @Override
            public void transactionCommitted(CommitStats stats) {
                commits.add(stats);
            }
        };
        try (RunLog log = start(config, listener)) {
            log.append(chunk("run-linger", 1), RunState.ACTIVE);
            log.flush();
        }
        assertEquals(1, commits.size(), commits::toString);
        Duration transaction = commits.getFirst().transactionTime();
        assertTrue(
                transaction.compareTo(linger.dividedBy(2)) < 0,
                "the transaction took " + transaction + " with linger.ms " + linger.toMillis());
        assertEquals(
                List.of("1"),
                Topics.chunksByRun(broker.bootstrapServers(), topic).get("run-linger").stream()
                        .map(Records::describe)
                        .toList());
    }

    @Test
    void aRestartedLogRestoresWhatWasCommittedAndContinuesWithoutDuplicates(KafkaBroker broker) {
        String topic = broker.uniqueTopic("restart");
        RunLogConfig config = config(broker, topic);
        List<String> runs = List.of("run-a", "run-b", "run-c", "run-d");

        Map<String, Checkpoint> committedBeforeStop;
        try (RunLog first = start(config, RunLogListener.NONE)) {
            for (String run : runs) {
                for (long seq = 1; seq <= 10; seq++) {
                    first.append(chunk(run, seq), RunState.ACTIVE);
                }
            }
            first.append(finished("run-d", 10), RunState.FINISHED);
            first.flush();
            committedBeforeStop = first.activeRuns();
        }

        try (RunLog second = start(config, RunLogListener.NONE)) {
            assertEquals(committedBeforeStop, second.activeRuns());
            assertEquals(Set.of("run-a", "run-b", "run-c"), second.activeRuns().keySet());
            assertEquals(
                    RunState.FINISHED, second.checkpoint("run-d").orElseThrow().state());
            for (Checkpoint resumed : second.activeRuns().values()) {
                for (long seq = resumed.lastPosition().seq() + 1; seq <= 20; seq++) {
                    second.append(chunk(resumed.runId(), seq), RunState.ACTIVE);
                }
            }
            second.flush();
        }

        Map<String, List<ChunkLogRecord>> byRun = Topics.chunksByRun(broker.bootstrapServers(), topic);
        for (String run : List.of("run-a", "run-b", "run-c")) {
            assertEquals(
                    LongStream.rangeClosed(1, 20).mapToObj(Long::toString).toList(),
                    byRun.get(run).stream().map(Records::describe).toList(),
                    run);
        }
    }

    @Test
    void anOversizedRecordBecomesChunkRejectedAndTheRestOfItsBatchCommits(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("oversize");
        createTopicsTakingRecordsOf16KiB(broker, topic);
        CountingListener listener = new CountingListener();
        RunLogConfig config = config(broker, topic).toBuilder()
                .commitWindow(Duration.ofSeconds(30))
                .build();

        try (RunLog log = start(config, listener)) {
            log.append(chunk("run-big", 1), RunState.ACTIVE);
            log.append(bigChunk("run-big", 2, 40_000), RunState.ACTIVE);
            log.append(chunk("run-big", 3), RunState.ACTIVE);
            log.flush();

            List<ChunkLogRecord> records =
                    Topics.chunksByRun(broker.bootstrapServers(), topic).get("run-big");
            assertEquals(
                    List.of("1", "rejected@2", "3"),
                    records.stream().map(Records::describe).toList());
            var rejected = (LifecycleEvent.ChunkRejected) LifecycleEvent.fromJson(
                    RecordType.CHUNK_REJECTED, records.get(1).value());
            assertEquals("oversized", rejected.reason());
            assertTrue(rejected.sizeBytes() > 40_000, "the original size");
            assertTrue(rejected.prefix().startsWith("{\"message_type\":\"tool_return_message\""), rejected.prefix());
            assertEquals(
                    Position.ofSeq(3), log.checkpoint("run-big").orElseThrow().lastPosition());
            assertEquals(1, listener.rejected());
            assertEquals(1, listener.commits(), "one transaction: the big record did not poison the batch");
            assertTrue(log.failure().isEmpty());
        }
    }

    /**
     * A lifecycle record over the limit (a {@code run.finished} carrying a huge Run object) keeps its type, at its
     * position, with the large part left out: replaced by a {@code chunk.rejected} it took the position of the run's
     * last chunk a second time, and the run had no terminal record in the log.
     */
    @Test
    void anOversizedLifecycleRecordKeepsItsTypeWithoutItsLargeParts(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("oversize-finished");
        createTopicsTakingRecordsOf16KiB(broker, topic);
        RunLogConfig config = config(broker, topic).toBuilder()
                .commitWindow(Duration.ofSeconds(30))
                .build();
        var hugeRun = dev.lsr.chunklog.Json.MAPPER
                .createObjectNode()
                .put("id", "run-huge")
                .put("status", "completed")
                .put("metadata", "m".repeat(40_000));

        try (RunLog log = start(config, new CountingListener())) {
            log.append(chunk("run-huge", 1), RunState.ACTIVE);
            log.append(chunk("run-huge", 2), RunState.ACTIVE);
            log.append(
                    new ChunkLogRecord(
                            dev.lsr.chunklog.Envelope.recorderRecord(
                                    RecordType.RUN_FINISHED,
                                    "run-huge/finished",
                                    Records.SOURCE,
                                    "run-huge",
                                    Position.ofSeq(2),
                                    java.time.Instant.now(),
                                    "agent-1",
                                    "conv-1"),
                            new LifecycleEvent.RunFinished("end_turn", "completed", hugeRun).toJson()),
                    RunState.FINISHED);
            log.flush();

            List<ChunkLogRecord> records =
                    Topics.chunksByRun(broker.bootstrapServers(), topic).get("run-huge");
            assertEquals(
                    List.of("1", "2", "finished@2"),
                    records.stream().map(Records::describe).toList());
            var finished = (LifecycleEvent.RunFinished) LifecycleEvent.fromJson(
                    RecordType.RUN_FINISHED, records.get(2).value());
            assertEquals("end_turn", finished.stopReason());
            assertEquals("completed", finished.status());
            assertTrue(finished.run() == null || finished.run().isNull(), "the huge Run object left out");
            assertEquals(
                    RunState.FINISHED, log.checkpoint("run-huge").orElseThrow().state());
        }
    }

    @Test
    void createsMissingTopicsWithTheSamePartitionsACompactedCheckpointTopicAndUnlimitedChunkRetention(
            KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("created");
        try (RunLog log = start(config(broker, topic), RunLogListener.NONE)) {
            assertTrue(log.activeRuns().isEmpty());
        }
        var descriptions = broker.admin()
                .describeTopics(List.of(topic, topic + ".checkpoints"))
                .allTopicNames()
                .get();
        assertEquals(PARTITIONS, descriptions.get(topic).partitions().size());
        assertEquals(
                PARTITIONS,
                descriptions.get(topic + ".checkpoints").partitions().size());
        var resource = new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic + ".checkpoints");
        assertEquals(
                TopicConfig.CLEANUP_POLICY_COMPACT,
                broker.admin()
                        .describeConfigs(List.of(resource))
                        .all()
                        .get()
                        .get(resource)
                        .get(TopicConfig.CLEANUP_POLICY_CONFIG)
                        .value());
        var chunkResource = new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
        assertEquals(
                "-1",
                broker.admin()
                        .describeConfigs(List.of(chunkResource))
                        .all()
                        .get()
                        .get(chunkResource)
                        .get(TopicConfig.RETENTION_MS_CONFIG)
                        .value());
        assertEquals(TopicConventions.transactionalId(topic, 2), "lsr-recorder-" + topic + "-2");
    }

    /** The chunk topic with {@code max.message.bytes} 16 KiB, and its checkpoint topic. */
    private static void createTopicsTakingRecordsOf16KiB(KafkaBroker broker, String topic) throws Exception {
        broker.admin()
                .createTopics(List.of(
                        new NewTopic(topic, PARTITIONS, (short) 1)
                                .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "16384")),
                        new NewTopic(topic + ".checkpoints", PARTITIONS, (short) 1)
                                .configs(
                                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                .all()
                .get();
    }
}
