package dev.lsr.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.TopicConventions;
import dev.lsr.kafka.EmbeddedKafkaBroker;
import dev.lsr.recorder.log.RunLogFailure;
import dev.lsr.recorder.log.RunLogListener;
import dev.lsr.recorder.log.TransactionalIdAcls;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.RecordedOnce;
import dev.lsr.recorder.testing.SimSends;
import dev.lsr.sim.LettaSim;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorder alone (no fleet, no watcher: the runs are attached by id) records runs in both partitions when partition
 * 1's transactional id is denied, then allowed again: the partition stops, is given up and taken again without a
 * restart, and its runs continue from their checkpoints, so every run is recorded once, every chunk once. Before,
 * the partition stayed stopped until a restart: its runs' sessions failed on their next append and nobody continued
 * them.
 */
class PartitionRetakeIT {

    private static final int CHUNKS = 80;

    @TempDir
    Path dataDir;

    @Test
    void theRunsOfAPartitionThatStoppedAreRecordedOnceAfterItIsTakenAgain() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                        .dataDir(dataDir)
                        .port(0)
                        .withAcls()
                        .start();
                LettaSim sim = LettaSim.builder().pace(Duration.ofMillis(100)).start()) {
            String topic = "retake-daemon";
            List<String> runs = new ArrayList<>();
            int inPartition1 = 0;
            for (int i = 0; inPartition1 < 2 || runs.size() - inPartition1 < 1; i++) {
                String run = SimSends.startBackgroundRun(sim, "agent-" + i, "[sim:chunks=" + CHUNKS + "] hi");
                runs.add(run);
                inPartition1 += TopicConventions.partitionFor(run, 2) == 1 ? 1 : 0;
            }
            Stops stops = new Stops();
            RecorderConfig config = RecorderConfig.builder(sim.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .partitions(2)
                    .watch(false)
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                    .build();
            try (CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
                RecorderDaemon daemon =
                        RecorderDaemon.builder(config).runLogListener(stops).build();
                Thread thread = Thread.ofPlatform().name("daemon").start(daemon);
                try {
                    assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));
                    runs.forEach(daemon::attach);
                    log.awaitUntil(
                            l -> runs.stream().allMatch(run -> !l.chunks(run).isEmpty()), Duration.ofSeconds(60));

                    String transactionalId = TopicConventions.transactionalId(topic, 1);
                    TransactionalIdAcls.deny(broker.bootstrapServers(), transactionalId);
                    await(() -> stops.stopped.get() == 1, "partition 1 stops");
                    Thread.sleep(1_000); // the partition's runs go on in Letta meanwhile
                    TransactionalIdAcls.allowAgain(broker.bootstrapServers(), transactionalId);
                    await(() -> stops.released.get() == 1, "partition 1 taken again without a restart");

                    log.awaitUntil(l -> l.ended(Set.copyOf(runs)), Duration.ofSeconds(90));
                    assertEquals(
                            List.of(), RecordedOnce.wrong(log, sim, runs), "every run recorded once, every chunk once");
                    assertTrue(daemon.failure().isEmpty(), "the recorder goes on: " + daemon.failure());
                } finally {
                    daemon.close();
                    thread.join(30_000);
                }
            }
        }
    }

    /**
     * A run attached by id (no watcher) while its partition is given up, with nothing committed yet: its session's
     * first append is refused as stopped. Once the partition is taken again the run is recorded, every chunk once.
     * Before, nothing knew it: no checkpoint for the take to continue it from, no record of it dropped from the queue,
     * and the take forgot its failed session.
     */
    @Test
    void aRunAttachedWhileItsPartitionIsGivenUpIsRecordedOnceItIsTakenAgain() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                        .dataDir(dataDir)
                        .port(0)
                        .withAcls()
                        .start();
                LettaSim sim = LettaSim.builder().pace(Duration.ofMillis(100)).start()) {
            String topic = "retake-attached";
            String first = startInPartition1(sim, "first");
            String late = startInPartition1(sim, "late");
            Stops stops = new Stops();
            RecorderConfig config = RecorderConfig.builder(sim.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .partitions(2)
                    .watch(false)
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                    .build();
            try (CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
                RecorderDaemon daemon =
                        RecorderDaemon.builder(config).runLogListener(stops).build();
                Thread thread = Thread.ofPlatform().name("daemon").start(daemon);
                try {
                    assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));
                    daemon.attach(first);
                    log.awaitUntil(l -> !l.chunks(first).isEmpty(), Duration.ofSeconds(60));

                    String transactionalId = TopicConventions.transactionalId(topic, 1);
                    TransactionalIdAcls.deny(broker.bootstrapServers(), transactionalId);
                    await(() -> stops.stopped.get() == 1, "partition 1 stops");
                    Thread.sleep(500); // given up at once; taken again only once allowed
                    daemon.attach(late).get(30, java.util.concurrent.TimeUnit.SECONDS);
                    TransactionalIdAcls.allowAgain(broker.bootstrapServers(), transactionalId);
                    await(() -> stops.released.get() == 1, "partition 1 taken again without a restart");

                    log.awaitUntil(l -> l.ended(Set.of(first, late)), Duration.ofSeconds(60));
                    assertEquals(
                            List.of(),
                            RecordedOnce.wrong(log, sim, List.of(first, late)),
                            "every run recorded once, every chunk once");
                } finally {
                    daemon.close();
                    thread.join(30_000);
                }
            }
        }
    }

    /**
     * A recorder with {@code --no-watch} (stops once no run is left) whose only run is in partition 1 when that
     * partition stops: the give-up stops the run, and nothing is left running meanwhile. The recorder waits for the
     * partition to be taken again and records the run to its end, then stops by itself. Before, it counted itself idle
     * as soon as the run stopped and exited (status 0), leaving the run unfinished.
     */
    @Test
    void aRecorderThatStopsWhenIdleWaitsForAGivenUpPartition() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                        .dataDir(dataDir)
                        .port(0)
                        .withAcls()
                        .start();
                LettaSim sim = LettaSim.builder().pace(Duration.ofMillis(100)).start()) {
            String topic = "retake-idle";
            String run = startInPartition1(sim, "only");
            Stops stops = new Stops();
            RecorderConfig config = RecorderConfig.builder(sim.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .partitions(2)
                    .watch(false)
                    .stopWhenIdle(true)
                    .attachRunIds(List.of(run))
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                    .build();
            try (CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
                RecorderDaemon daemon =
                        RecorderDaemon.builder(config).runLogListener(stops).build();
                Thread thread = Thread.ofPlatform().name("daemon").start(daemon);
                try {
                    assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));
                    log.awaitUntil(l -> !l.chunks(run).isEmpty(), Duration.ofSeconds(60));

                    String transactionalId = TopicConventions.transactionalId(topic, 1);
                    TransactionalIdAcls.deny(broker.bootstrapServers(), transactionalId);
                    await(() -> stops.stopped.get() == 1, "partition 1 stops");
                    Thread.sleep(1_500); // given up at once; taken again only once allowed
                    assertTrue(thread.isAlive(), "the recorder waits for its given-up partition: " + daemon.state());
                    TransactionalIdAcls.allowAgain(broker.bootstrapServers(), transactionalId);

                    log.awaitUntil(l -> l.ended(Set.of(run)), Duration.ofSeconds(60));
                    assertEquals(
                            List.of(), RecordedOnce.wrong(log, sim, List.of(run)), "recorded once, every chunk once");
                    thread.join(30_000);
                    assertTrue(!thread.isAlive(), "stops by itself once the run is recorded");
                    assertTrue(daemon.failure().isEmpty(), "no failure: " + daemon.failure());
                } finally {
                    daemon.close();
                    thread.join(30_000);
                }
            }
        }
    }

    private static String startInPartition1(LettaSim sim, String agent) throws java.io.IOException {
        for (int i = 0; ; i++) {
            String run = SimSends.startBackgroundRun(sim, agent + "-" + i, "[sim:chunks=" + CHUNKS + "] hi");
            if (TopicConventions.partitionFor(run, 2) == 1) {
                return run;
            }
        }
    }

    private static final class Stops implements RunLogListener {
        final AtomicInteger stopped = new AtomicInteger();
        final AtomicInteger released = new AtomicInteger();

        @Override
        public void partitionStopped(RunLogFailure failure) {
            stopped.incrementAndGet();
        }

        @Override
        public void stoppedPartitionReleased(int partition) {
            released.incrementAndGet();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) {
        org.awaitility.Awaitility.await(what)
                .atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofMillis(50))
                .until(condition::getAsBoolean);
    }
}
