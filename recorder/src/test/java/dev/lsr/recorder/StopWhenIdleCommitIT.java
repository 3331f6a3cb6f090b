package dev.lsr.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.TopicConventions;
import dev.lsr.kafka.EmbeddedKafkaBroker;
import dev.lsr.recorder.log.TransactionalIdAcls;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.LogCapture;
import dev.lsr.recorder.testing.RecordedOnce;
import dev.lsr.recorder.testing.SimSends;
import dev.lsr.sim.LettaSim;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorder with {@code --no-watch} (stops once no run is left) is idle only once what its runs appended is
 * committed: when the last batch of its only run fails (the partition's transactional id denied just as the run
 * ended), the partition stops, is taken again once allowed, and the run is recorded to its end before the recorder
 * stops by itself. Before, it counted itself idle as soon as the run's thread ended, stopped (status 0, no failure)
 * and the failed batch, the run's tail with its {@code run.finished}, was never recorded.
 */
class StopWhenIdleCommitIT {

    @TempDir
    Path dataDir;

    @Test
    void aRecorderThatStopsWhenIdleWaitsForItsLastBatchToBeCommitted() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                        .dataDir(dataDir)
                        .port(0)
                        .withAcls()
                        .start();
                LettaSim sim = LettaSim.builder().pace(Duration.ofMillis(20)).start()) {
            String topic = "idle-last-batch";
            String run = startInPartition1(sim);
            String transactionalId = TopicConventions.transactionalId(topic, 1);
            RecorderConfig config = RecorderConfig.builder(sim.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .partitions(2)
                    .watch(false)
                    .stopWhenIdle(true)
                    .attachRunIds(List.of(run))
                    .commitWindow(Duration.ofSeconds(2)) // the run ends with its last records still pending
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                    .build();
            java.util.concurrent.atomic.AtomicBoolean denied = new java.util.concurrent.atomic.AtomicBoolean();
            RecorderListener denyAtTheEnd = new RecorderListener() {
                @Override
                public void runEnded(String runId, dev.lsr.chunklog.RunState state) {
                    if (denied.getAndSet(true)) {
                        return; // once: the run's end after the take is recorded
                    }
                    try {
                        TransactionalIdAcls.deny(broker.bootstrapServers(), transactionalId);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
            try (CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
                RecorderDaemon daemon =
                        RecorderDaemon.builder(config).listener(denyAtTheEnd).build();
                Thread thread = Thread.ofPlatform().name("daemon").start(daemon);
                try {
                    assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));
                    Thread.sleep(4_000); // the run ends, its last batch fails to commit
                    assertTrue(thread.isAlive(), "the recorder waits for its last batch: " + daemon.state());
                    assertFalse(log.ended(Set.of(run)), "the run's end is not committed yet");
                    TransactionalIdAcls.allowAgain(broker.bootstrapServers(), transactionalId);

                    log.awaitUntil(l -> l.ended(Set.of(run)), Duration.ofSeconds(60));
                    assertEquals(
                            List.of(), RecordedOnce.wrong(log, sim, List.of(run)), "recorded once, every chunk once");
                    thread.join(30_000);
                    assertFalse(thread.isAlive(), "stops by itself once the run is recorded");
                    assertTrue(daemon.failure().isEmpty(), "no failure: " + daemon.failure());
                } finally {
                    daemon.close();
                    thread.join(30_000);
                }
            }
        }
    }

    /**
     * A recorder stopped while the only batch of its only run fails to commit (the run was quicker than the commit
     * window, its partition's transactional id denied as it ended): nothing of the run is committed, so the next start
     * knows it only if it is attached again. The close names it at WARN. Before, the close said nothing of the run.
     */
    @Test
    void aRecorderClosedAsTheOnlyBatchOfARunFailsNamesTheRun() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                        .dataDir(dataDir)
                        .port(0)
                        .withAcls()
                        .start();
                LettaSim sim = LettaSim.builder().pace(Duration.ofMillis(20)).start();
                LogCapture logs = LogCapture.capture()) {
            String topic = "close-only-batch";
            String run = startInPartition1(sim);
            String transactionalId = TopicConventions.transactionalId(topic, 1);
            java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
            RecorderConfig config = RecorderConfig.builder(sim.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .partitions(2)
                    .watch(false)
                    .attachRunIds(List.of(run))
                    .commitWindow(Duration.ofSeconds(5)) // the whole run waits for one transaction
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                    .build();
            RecorderListener denyAtTheEnd = new RecorderListener() {
                @Override
                public void runEnded(String runId, dev.lsr.chunklog.RunState state) {
                    try {
                        TransactionalIdAcls.deny(broker.bootstrapServers(), transactionalId);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    ended.countDown();
                }
            };
            RecorderDaemon daemon =
                    RecorderDaemon.builder(config).listener(denyAtTheEnd).build();
            Thread thread = Thread.ofPlatform().name("daemon").start(daemon);
            try {
                assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));
                assertTrue(ended.await(30, java.util.concurrent.TimeUnit.SECONDS), "the run ends");
            } finally {
                daemon.close(); // commits what is pending: the run's only batch, refused
                thread.join(30_000);
                TransactionalIdAcls.allowAgain(broker.bootstrapServers(), transactionalId);
            }
            List<String> warnings = logs.lines().stream()
                    .filter(line -> line.startsWith("WARN") && line.contains(run))
                    .toList();
            assertEquals(1, warnings.size(), "one WARN names the run the close leaves unrecorded: " + warnings);
        }
    }

    private static String startInPartition1(LettaSim sim) throws java.io.IOException {
        for (int i = 0; ; i++) {
            String run = SimSends.startBackgroundRun(sim, "idle-" + i, "[sim:chunks=40] hi");
            if (TopicConventions.partitionFor(run, 2) == 1) {
                return run;
            }
        }
    }
}
