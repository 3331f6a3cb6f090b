package dev.lsr.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.kafka.junit.KafkaCluster;
import dev.lsr.kernel.LifecycleState;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.SimFrames;
import dev.lsr.recorder.testing.SimSends;
import dev.lsr.sim.LettaSim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The recorder against a three-broker KRaft cluster (containers: needs Docker; skipped without it,
 * and run by CI's container execution). The recorder creates its topics with three replicas and
 * {@code min.insync.replicas=2}; while it records concurrent runs from letta-sim, a broker is killed
 * with SIGKILL: the chunk partition's leader, the broker coordinating the recorder's transactions
 * (its transactions commit every window, so the kill lands amid commits), or a follower that is then
 * started again on the disk it had and, once caught up, must serve the log when the leader is killed
 * in turn. Every run ends whole: its chunks in log order equal the frames letta-sim stored, no
 * position twice, one terminal record.
 *
 * <p>Every kill lands on an event the test observes (chunks of every run committed), never after a sleep.
 */
class ThreeBrokerClusterIT {

    private static final int RUNS = 4;
    private static final int CHUNKS_PER_RUN = 150;
    private static final Duration PACE = Duration.ofMillis(100);
    /** Generous: a leader election waits out the dead broker's session, on a loaded 2-core machine. */
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private static KafkaCluster cluster;
    private final Set<Integer> killed = new LinkedHashSet<>();

    @BeforeAll
    static void startCluster() {
        KafkaCluster.assumeContainersCanRun();
        cluster = KafkaCluster.start(3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Brings back whatever a test killed, so that the next one starts on three brokers. */
    @AfterEach
    void restartKilled() {
        for (int id : killed) {
            cluster.restart(id);
        }
        killed.clear();
    }

    @Test
    void thePartitionLeaderKilledMidRunLosesNothingAndDuplicatesNothing() throws Exception {
        record("leader-killed", (topic, log) -> kill(cluster.leaderOf(new TopicPartition(topic, 0))));
    }

    @Test
    void theTransactionCoordinatorsBrokerKilledMidCommitLosesNothingAndDuplicatesNothing() throws Exception {
        record(
                "coordinator-killed",
                (topic, log) -> kill(cluster.transactionCoordinatorOf(TopicConventions.transactionalId(topic, 0))));
    }

    @Test
    void aBrokerRestartedOnItsDiskCatchesUpAndServesTheLogWhenTheLeaderDies() throws Exception {
        record("restarted-on-its-disk", (topic, log) -> {
            TopicPartition partition = new TopicPartition(topic, 0);
            int leader = cluster.leaderOf(partition);
            int follower = cluster.nodeIds().stream()
                    .filter(id -> id != leader)
                    .findFirst()
                    .orElseThrow();
            kill(follower);
            int before = log.all().size();
            log.awaitUntil(l -> l.all().size() > before + 20, TIMEOUT);
            cluster.restart(follower);
            killed.remove(follower);
            cluster.awaitFullyReplicated(List.of(topic));
            kill(cluster.leaderOf(partition));
        });
    }

    /** What a test does to the cluster once every run has chunks committed. */
    private interface Fault {
        void inject(String topic, CommittedLog log) throws Exception;
    }

    private void record(String name, Fault fault) throws Exception {
        String topic = "cluster-" + name;
        try (LettaSim sim = LettaSim.builder().pace(PACE).start();
                CommittedLog log = new CommittedLog(cluster.bootstrapServers(), topic)) {
            RecorderConfig config = RecorderConfig.builder(sim.baseUrl())
                    .bootstrapServers(cluster.bootstrapServers())
                    .topic(topic)
                    .partitions(1)
                    .replicationFactor((short) 3)
                    .pollInterval(Duration.ofMillis(200))
                    .pingInterval(Duration.ofSeconds(2))
                    .backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                    .build();
            RecorderDaemon daemon = RecorderDaemon.create(config);
            Thread thread = Thread.ofPlatform().name("daemon-" + name).start(daemon);
            try {
                assertTrue(daemon.awaitRunning(TIMEOUT), "daemon running");
                assertTopicDurability(topic);
                List<String> runIds = new ArrayList<>();
                for (int i = 1; i <= RUNS; i++) {
                    runIds.add(SimSends.startBackgroundRun(
                            sim, "agent-" + name + "-" + i, "run " + i + " [sim:chunks=" + CHUNKS_PER_RUN + "]"));
                }
                log.awaitUntil(l -> runIds.stream().allMatch(r -> l.chunks(r).size() >= 10), TIMEOUT);
                fault.inject(topic, log);
                log.awaitUntil(l -> l.ended(Set.copyOf(runIds)), TIMEOUT);
                assertEquals(LifecycleState.RUNNING, daemon.state(), "the recorder rode out the broker's death");
                log.catchUp();
                for (String runId : runIds) {
                    assertRunWhole(log, sim, runId);
                }
            } finally {
                daemon.close();
                thread.join(TIMEOUT.toMillis());
            }
            assertEquals(LifecycleState.STOPPED, daemon.state());
        }
    }

    private void kill(int id) {
        cluster.kill(id);
        killed.add(id);
    }

    private static void assertTopicDurability(String topic) throws Exception {
        int replicas = cluster.admin()
                .describeTopics(List.of(topic))
                .allTopicNames()
                .get(60, TimeUnit.SECONDS)
                .get(topic)
                .partitions()
                .getFirst()
                .replicas()
                .size();
        assertEquals(3, replicas, "replication factor of " + topic);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Map<ConfigResource, Config> configs =
                cluster.admin().describeConfigs(List.of(resource)).all().get(60, TimeUnit.SECONDS);
        assertEquals("2", configs.get(resource).get("min.insync.replicas").value(), "min.insync.replicas of " + topic);
    }

    private static void assertRunWhole(CommittedLog log, LettaSim sim, String runId) {
        List<ChunkLogRecord> records = log.run(runId);
        List<Position> positions = log.chunkPositions(runId);
        assertEquals(positions.size(), new HashSet<>(positions).size(), runId + ": every position once");
        assertEquals(SimFrames.payloads(sim, runId), log.chunks(runId), runId + ": the stored frames, in log order");
        assertEquals(1, records.stream().filter(r -> r.type().isTerminal()).count(), runId + ": one terminal record");
        assertEquals(RecordType.RUN_FINISHED, records.getLast().type(), runId);
    }
}
