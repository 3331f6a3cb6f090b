package dev.lsr.recorder.cli;

import static dev.lsr.recorder.testing.SessionHarness.expectedChunks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kernel.LifecycleState;
import dev.lsr.recorder.RecorderConfig;
import dev.lsr.recorder.RecorderDaemon;
import dev.lsr.recorder.RunOutcome;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.Fixtures;
import dev.lsr.sim.LettaSim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without Kafka settings the CLI starts its own broker on the data dir ({@link EmbeddedKafka}), the
 * daemon records into it, and the broker stops again after the daemon; a second daemon on the same
 * data dir finds what the first recorded.
 */
class EmbeddedBrokerDaemonIT {

    @TempDir
    Path dir;

    @Test
    void theDefaultBrokerIsEmbeddedAndKeepsItsDataAcrossRestarts() throws Exception {
        String runId = Fixtures.runId("03-parallel-approvals");
        try (LettaSim sim = LettaSim.builder()
                .recordedRun("03", LettaFixtures.sseBody("03-parallel-approvals"))
                .start()) {
            RecorderConfig config = RecorderConfig.builder(sim.baseUrl())
                    .dataDir(dir.resolve("kafka"))
                    .embeddedPort(0)
                    .watch(false)
                    .partitions(1)
                    .build();
            EmbeddedKafka firstKafka = EmbeddedKafka.of(config);
            RecorderDaemon first = RecorderDaemon.builder(config)
                    .kafka(firstKafka::bootstrapServers)
                    .build();
            Thread thread = Thread.ofPlatform().start(first);
            assertTrue(first.awaitRunning(Duration.ofSeconds(90)));
            assertEquals(
                    RunOutcome.Kind.FINISHED,
                    first.attach(runId).get(60, TimeUnit.SECONDS).kind());
            String bootstrap = first.bootstrapServers().orElseThrow();
            try (CommittedLog log = new CommittedLog(bootstrap, config.topic())) {
                log.awaitUntil(l -> l.ended(Set.of(runId)), Duration.ofSeconds(30));
                assertEquals(expectedChunks("03-parallel-approvals"), log.chunks(runId));
            }
            first.close();
            thread.join(30_000);
            assertEquals(LifecycleState.STOPPED, first.state());
            firstKafka.close();
            assertTrue(Files.isDirectory(dir.resolve("kafka")), "the data dir stays");

            EmbeddedKafka secondKafka = EmbeddedKafka.of(config);
            RecorderDaemon second = RecorderDaemon.builder(config)
                    .kafka(secondKafka::bootstrapServers)
                    .build();
            Thread again = Thread.ofPlatform().start(second);
            assertTrue(second.awaitRunning(Duration.ofSeconds(90)));
            assertEquals(
                    RunOutcome.Kind.ALREADY_RECORDED,
                    second.attach(runId).get(30, TimeUnit.SECONDS).kind(),
                    "the restarted broker still holds the run's checkpoint");
            second.close();
            again.join(30_000);
            assertEquals(LifecycleState.STOPPED, second.state());
            secondKafka.close();
        }
    }
}
