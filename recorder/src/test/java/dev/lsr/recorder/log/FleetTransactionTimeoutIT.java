package dev.lsr.recorder.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet member whose transactions the coordinator keeps aborting for their timeout (a broker that flaps, a member
 * cut off again and again) loses its producer's state each time: it gives the partition up and takes it again
 * through the group. That is no other owner: however often it happens, it must never stop the member as "fenced by
 * a recorder outside the fleet" (exit 3), which it did after three within two minutes. Nobody else records the
 * topic here. Its own broker, to check for timed-out transactions every 500 ms.
 */
class FleetTransactionTimeoutIT {

    private static final int TIMEOUTS = 4;

    @TempDir
    Path dataDir;

    @Test
    void aMemberWhoseTransactionsKeepTimingOutKeepsRecordingAndIsNeverTakenForFenced() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .dataDir(dataDir)
                .port(0)
                .brokerProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "500")
                .start()) {
            String topic = "fleettimeout";
            RunLogConfig config = RunLogConfig.builder(broker.bootstrapServers())
                    .chunkTopic(topic)
                    .partitions(1)
                    .replicationFactor((short) 1)
                    .groupId("fleet-timeout")
                    .commitWindow(Duration.ofMinutes(5))
                    .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                    .kafkaProperty("producer.interceptor.classes", HoldingInterceptor.class.getName())
                    .kafkaProperty("producer.transaction.timeout.ms", "3000")
                    .build();
            Takes takes = new Takes();
            try (RunLog log = KafkaRunLog.create(config, new CountingListener(), Clock.systemUTC())) {
                log.whenOwnershipChanges(takes);
                log.start();
                Await.until(() -> log.owns("run-a"), "the partition taken");
                RunSeqs.append(log, "run-a", 1, 3);
                log.flush();

                for (int timeout = 1; timeout <= TIMEOUTS; timeout++) {
                    int takesBefore = takes.count.get();
                    HoldingInterceptor.armAcknowledgement(config.checkpointTopic());
                    RunSeqs.append(log, "run-a", 4, 6);
                    CompletableFuture<Void> flushed = CompletableFuture.runAsync(log::flush);
                    try {
                        HoldingInterceptor.awaitHeld();
                        Coordinator.awaitAborted(broker.bootstrapServers(), "lsr-recorder-" + topic + "-0");
                    } finally {
                        HoldingInterceptor.release();
                    }
                    try {
                        flushed.get(120, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException expected) {
                        // the batch was dropped uncommitted with the partition: its run continues from seq 3
                    }
                    int round = timeout;
                    Await.until(
                            () -> takes.count.get() > takesBefore && log.owns("run-a")
                                    || log.failure().isPresent(),
                            "the partition taken again after timeout " + round);
                    assertTrue(
                            log.failure().isEmpty(),
                            "timeout " + round + ": a lost producer state is no foreign owner: " + log.failure());
                    assertEquals(
                            3L,
                            log.checkpoint("run-a").orElseThrow().lastPosition().seq(),
                            "nothing of it committed");
                }

                RunSeqs.append(log, "run-a", 4, 6);
                log.flush();
                assertTrue(log.failure().isEmpty(), "the member goes on: " + log.failure());
                RunSeqs.assertCommittedOnce(log, broker.bootstrapServers(), topic, "run-a", 6);
            }
        }
    }

    private static final class Takes implements OwnershipListener {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public void assigned(Set<Integer> partitions, Collection<Checkpoint> activeRuns) {
            count.incrementAndGet();
        }

        @Override
        public void revoking(Set<Integer> partitions) {}

        @Override
        public void offered(String runId, String mode) {}
    }
}
