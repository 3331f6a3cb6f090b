package dev.lsr.recorder.log;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorder alone whose transaction is held open past its {@code transaction.timeout.ms} (cut off from Kafka, say)
 * while a replacement starts on the same topic, takes the partition over (its {@code initTransactions} fences the
 * first one and aborts its transaction) and commits the same positions again. When the first recorder's late
 * commit is answered like a fencing, that is a takeover, not the coordinator's timeout: it must stop, not fence the
 * replacement back and commit its batch a second time.
 */
class ReplacementWhileCutOffIT {

    @TempDir
    Path dataDir;

    @Test
    void aRecorderTakenOverWhileItsTransactionOutlivedItsTimeoutStopsAndCommitsNothingTwice() throws Exception {
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().dataDir(dataDir).port(0).start()) {
            String topic = "replaced";
            RunLogConfig replacement = RunLogConfig.builder(broker.bootstrapServers())
                    .chunkTopic(topic)
                    .partitions(1)
                    .replicationFactor((short) 1)
                    .commitWindow(Duration.ofMillis(5))
                    .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                    .kafkaProperty("producer.transaction.timeout.ms", "3000")
                    .build();
            RunLogConfig first = replacement.toBuilder()
                    .commitWindow(Duration.ofMinutes(5))
                    .kafkaProperty("producer.interceptor.classes", HoldingInterceptor.class.getName())
                    .build();
            try (RunLog cutOff = KafkaRunLog.create(first, new CountingListener(), Clock.systemUTC())) {
                cutOff.start();
                RunSeqs.append(cutOff, "run-a", 1, 3);
                cutOff.flush();

                HoldingInterceptor.armAcknowledgement(first.checkpointTopic());
                RunSeqs.append(cutOff, "run-a", 4, 6);
                CompletableFuture<Void> lateFlush = CompletableFuture.runAsync(cutOff::flush);
                long heldSince = System.nanoTime();
                try (RunLog taking = KafkaRunLog.create(replacement, new CountingListener(), Clock.systemUTC())) {
                    try {
                        HoldingInterceptor.awaitHeld();
                        taking.start();
                        assertEquals(
                                3L,
                                taking.checkpoint("run-a")
                                        .orElseThrow()
                                        .lastPosition()
                                        .seq());
                        RunSeqs.append(taking, "run-a", 4, 6);
                        taking.flush();
                        // the first recorder's transaction outlives its timeout before its commit goes out
                        await().pollDelay(Duration.ofMillis(100))
                                .atMost(Duration.ofSeconds(30))
                                .until(() -> System.nanoTime() - heldSince
                                        > Duration.ofMillis(4_000).toNanos());
                    } finally {
                        HoldingInterceptor.release();
                    }
                    try {
                        lateFlush.get(120, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException expected) {
                        // its flush fails: it was taken over
                    }
                    await("the first recorder stops as fenced")
                            .atMost(Duration.ofSeconds(60))
                            .until(() -> cutOff.failure().isPresent());
                    assertEquals(
                            RunLogFailure.Kind.FENCED,
                            cutOff.failure().orElseThrow().kind());

                    RunSeqs.append(taking, "run-a", 7, 7);
                    taking.flush();
                    assertTrue(taking.failure().isEmpty(), "the replacement goes on: " + taking.failure());
                    RunSeqs.assertCommittedOnce(taking, broker.bootstrapServers(), topic, "run-a", 7);
                }
            }
        }
    }
}
