package dev.lsr.recorder;

import static dev.lsr.recorder.testing.SessionHarness.expectedChunks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.RealKafka;
import dev.lsr.kernel.LifecycleState;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.Fixtures;
import dev.lsr.sim.LettaSim;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * A daemon given a meter registry and a listener of its own records a fixture from letta-sim into a
 * real broker: the registry shows every chunk that reached the log, committed transactions and the
 * run's end, and the caller's listener saw the same chunks.
 */
@RealKafka
class MetricsIT {

    private static final String FIXTURE = "02-tool-call-two-steps";

    @Test
    void theRegistryCountsWhatWasRecordedBesideTheCallersListener(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("metrics");
        String runId = Fixtures.runId(FIXTURE);
        MeterRegistry registry = new SimpleMeterRegistry();
        LongAdder chunksSeenByCaller = new LongAdder();
        RecorderListener callers = new RecorderListener() {
            @Override
            public void chunkAppended(String run, int sizeBytes) {
                chunksSeenByCaller.increment();
            }
        };
        try (LettaSim sim = LettaSim.builder()
                        .pace(Duration.ofMillis(5))
                        .recordedRun(FIXTURE, LettaFixtures.sseBody(FIXTURE))
                        .start();
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            RecorderConfig config = RecorderConfig.builder(sim.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .partitions(1)
                    .watch(false)
                    .stopWhenIdle(true)
                    .attachRunIds(List.of(runId))
                    .build();
            RecorderDaemon daemon = RecorderDaemon.builder(config)
                    .listener(callers)
                    .meterRegistry(registry)
                    .build();
            Thread thread = Thread.ofPlatform().name("daemon").start(daemon);
            thread.join(Duration.ofSeconds(90));
            assertFalse(thread.isAlive(), "the daemon stops once its one run is recorded");
            assertEquals(LifecycleState.STOPPED, daemon.state());

            int committedChunks = log.awaitUntil(l -> l.ended(Set.of(runId)), Duration.ofSeconds(30))
                    .chunks(runId)
                    .size();
            assertEquals(expectedChunks(FIXTURE).size(), committedChunks);
            assertEquals(
                    committedChunks,
                    registry.get("lsr.recorder.chunks.appended").counter().count());
            assertEquals(committedChunks, chunksSeenByCaller.sum(), "the caller's listener still hears every chunk");
            assertEquals(
                    committedChunks,
                    registry.get("lsr.runlog.records.appended")
                            .tag("type", "chunk")
                            .counter()
                            .count());
            assertEquals(
                    1,
                    registry.get("lsr.runlog.records.appended")
                            .tag("type", "run_attached")
                            .counter()
                            .count());
            assertEquals(
                    1,
                    registry.get("lsr.recorder.runs.ended")
                            .tag("state", "finished")
                            .counter()
                            .count());
            assertEquals(0, registry.get("lsr.recorder.runs.active").gauge().value());

            double transactions =
                    registry.get("lsr.runlog.transactions.committed").counter().count();
            assertTrue(transactions >= 1, "at least one transaction committed: " + transactions);
            assertEquals(
                    transactions,
                    registry.get("lsr.runlog.commit.latency").timer().count());
            assertEquals(
                    log.all().size(),
                    registry.get("lsr.runlog.transaction.records").summary().totalAmount(),
                    "the committed transactions hold every record of the topic (chunks and lifecycle)");
            assertEquals(
                    0,
                    registry.get("lsr.runlog.failed")
                            .tag("kind", "fenced")
                            .gauge()
                            .value());
        }
    }
}
