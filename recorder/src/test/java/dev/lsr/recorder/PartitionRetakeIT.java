package dev.lsr.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.TopicConventions;
import dev.lsr.kafka.EmbeddedKafkaBroker;
import dev.lsr.recorder.log.RunLogFailure;
import dev.lsr.recorder.log.RunLogListener;
import dev.lsr.recorder.log.TransactionalIdAcls;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.LogCapture;
import dev.lsr.recorder.testing.RecordedOnce;
import dev.lsr.recorder.testing.SimSends;
import dev.lsr.sim.LettaSim;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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

    private EmbeddedKafkaBroker broker;
    private LettaSim sim;

    @BeforeEach
    void startBrokerAndSim() {
        broker = EmbeddedKafkaBroker.builder()
                .dataDir(dataDir)
                .port(0)
                .withAcls()
                .start();
        sim = LettaSim.builder().pace(Duration.ofMillis(100)).start();
    }

    @AfterEach
    void stopSimAndBroker() {
        try {
            if (sim != null) {
                sim.close();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    @Test
    void theRunsOfAPartitionThatStoppedAreRecordedOnceAfterItIsTakenAgain() throws Exception {
        String topic = "retake-daemon";
        List<String> runs = new ArrayList<>();
        int inPartition1 = 0;
        for (int i = 0; inPartition1 < 2 || runs.size() - inPartition1 < 1; i++) {
            String run = SimSends.startBackgroundRun(sim, "agent-" + i, "[sim:chunks=" + CHUNKS + "] hi");
            runs.add(run);
            inPartition1 += TopicConventions.partitionFor(run, 2) == 1 ? 1 : 0;
        }
        try (Recorder recorder = recorder(topic, config -> config)) {
            runs.forEach(recorder.daemon()::attach);
            recorder.log()
                    .awaitUntil(
                            l -> runs.stream().allMatch(run -> !l.chunks(run).isEmpty()), Duration.ofSeconds(60));

            String transactionalId = TopicConventions.transactionalId(topic, 1);
            TransactionalIdAcls.deny(broker.bootstrapServers(), transactionalId);
            await(() -> recorder.stops().stopped.get() == 1, "partition 1 stops");
            Thread.sleep(1_000); // the partition's runs go on in Letta meanwhile
            TransactionalIdAcls.allowAgain(broker.bootstrapServers(), transactionalId);
            await(() -> recorder.stops().released.get() == 1, "partition 1 taken again without a restart");

            recorder.log().awaitUntil(l -> l.ended(Set.copyOf(runs)), Duration.ofSeconds(90));
            assertEquals(
                    List.of(),
                    RecordedOnce.wrong(recorder.log(), sim, runs),
                    "every run recorded once, every chunk once");
            assertTrue(
                    recorder.daemon().failure().isEmpty(),
                    "the recorder goes on: " + recorder.daemon().failure());
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
        String topic = "retake-attached";
        String first = startInPartition1("first");
        String late = startInPartition1("late");
        try (Recorder recorder = recorder(topic, config -> config)) {
            recorder.daemon().attach(first);
            recorder.log().awaitUntil(l -> !l.chunks(first).isEmpty(), Duration.ofSeconds(60));

            String transactionalId = TopicConventions.transactionalId(topic, 1);
            TransactionalIdAcls.deny(broker.bootstrapServers(), transactionalId);
            await(() -> recorder.stops().stopped.get() == 1, "partition 1 stops");
            Thread.sleep(500); // given up at once; taken again only once allowed
            recorder.daemon().attach(late).get(30, TimeUnit.SECONDS);
            TransactionalIdAcls.allowAgain(broker.bootstrapServers(), transactionalId);
            await(() -> recorder.stops().released.get() == 1, "partition 1 taken again without a restart");

            recorder.log().awaitUntil(l -> l.ended(Set.of(first, late)), Duration.ofSeconds(60));
            assertEquals(
                    List.of(),
                    RecordedOnce.wrong(recorder.log(), sim, List.of(first, late)),
                    "every run recorded once, every chunk once");
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
        String topic = "retake-idle";
        String run = startInPartition1("only");
        try (Recorder recorder =
                recorder(topic, config -> config.stopWhenIdle(true).attachRunIds(List.of(run)))) {
            recorder.log().awaitUntil(l -> !l.chunks(run).isEmpty(), Duration.ofSeconds(60));

            String transactionalId = TopicConventions.transactionalId(topic, 1);
            TransactionalIdAcls.deny(broker.bootstrapServers(), transactionalId);
            await(() -> recorder.stops().stopped.get() == 1, "partition 1 stops");
            Thread.sleep(1_500); // given up at once; taken again only once allowed
            assertTrue(
                    recorder.thread().isAlive(),
                    "the recorder waits for its given-up partition: "
                            + recorder.daemon().state());
            TransactionalIdAcls.allowAgain(broker.bootstrapServers(), transactionalId);

            recorder.log().awaitUntil(l -> l.ended(Set.of(run)), Duration.ofSeconds(60));
            assertEquals(
                    List.of(),
                    RecordedOnce.wrong(recorder.log(), sim, List.of(run)),
                    "recorded once, every chunk once");
            recorder.thread().join(30_000);
            assertTrue(!recorder.thread().isAlive(), "stops by itself once the run is recorded");
            assertTrue(
                    recorder.daemon().failure().isEmpty(),
                    "no failure: " + recorder.daemon().failure());
        }
    }

    /**
     * A recorder alone stopped while a partition is given up: a run attached meanwhile has nothing committed, so the
     * next start does not know it (no checkpoint, no watcher). The stop names it at WARN, so the operator can attach it
     * again. Before, the stop said nothing of it: the run was lost silently.
     */
    @Test
    void aRecorderStoppedWhileAPartitionIsGivenUpNamesTheRunsItLeavesUnrecorded() throws Exception {
        String topic = "retake-stopped-away";
        String first = startInPartition1("first");
        String late = startInPartition1("late");
        String transactionalId = TopicConventions.transactionalId(topic, 1);
        try (LogCapture logs = LogCapture.capture()) {
            int atTheStop;
            try (Recorder recorder = recorder(topic, config -> config)) {
                recorder.daemon().attach(first);
                recorder.log().awaitUntil(l -> !l.chunks(first).isEmpty(), Duration.ofSeconds(60));
                TransactionalIdAcls.deny(broker.bootstrapServers(), transactionalId);
                await(() -> recorder.stops().stopped.get() == 1, "partition 1 stops");
                Thread.sleep(500); // given up at once; not taken again while denied
                recorder.daemon().attach(late).get(30, TimeUnit.SECONDS);
                atTheStop = logs.lines().size();
            } finally {
                TransactionalIdAcls.allowAgain(broker.bootstrapServers(), transactionalId);
            }
            List<String> lines = logs.lines();
            List<String> warnings = lines.subList(atTheStop, lines.size()).stream()
                    .filter(line -> line.startsWith("WARN") && line.contains(late))
                    .toList();
            assertEquals(1, warnings.size(), "at the stop, one WARN names the run left unrecorded: " + warnings);
        }
    }

    /**
     * A recorder alone on {@code topic} (two partitions, no watcher, short backoff; {@code more} adds to its config)
     * running on its own thread, with a reader of what it commits; closing it closes the daemon, then the reader.
     */
    private Recorder recorder(String topic, UnaryOperator<RecorderConfig.Builder> more) throws InterruptedException {
        RecorderConfig config = more.apply(RecorderConfig.builder(sim.baseUrl())
                        .bootstrapServers(broker.bootstrapServers())
                        .topic(topic)
                        .partitions(2)
                        .watch(false)
                        .backoff(Duration.ofMillis(50), Duration.ofMillis(500)))
                .build();
        CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic);
        Stops stops = new Stops();
        RecorderDaemon daemon =
                RecorderDaemon.builder(config).runLogListener(stops).build();
        Thread thread = Thread.ofPlatform().name("daemon").start(daemon);
        Recorder recorder = new Recorder(daemon, thread, log, stops);
        try {
            assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));
        } catch (InterruptedException | RuntimeException | AssertionError e) {
            recorder.close();
            throw e;
        }
        return recorder;
    }

    private record Recorder(RecorderDaemon daemon, Thread thread, CommittedLog log, Stops stops)
            implements AutoCloseable {

        @Override
        public void close() {
            try {
                daemon.close();
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                log.close();
            }
        }
    }

    private String startInPartition1(String agent) throws java.io.IOException {
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
