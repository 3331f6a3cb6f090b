package dev.lsr.recorder.log;

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
 * A transaction whose commit is delayed past its {@code transaction.timeout.ms} while the coordinator is
 * alive (its records are written, the producer's network thread is held, so EndTxn cannot go out): the
 * coordinator aborts it and bumps the producer's epoch, so the late commit is answered like a fencing.
 * Nobody else owns the partition: the log re-initialises its producer and commits the batch again, once,
 * and never stops as fenced. Its own broker, to check for timed-out transactions every 500 ms.
 */
class TransactionTimeoutIT {

    @TempDir
    Path dataDir;

    @Test
    void aTransactionTheCoordinatorAbortedForItsTimeoutIsSentAgainNotTakenForAFencing() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .dataDir(dataDir)
                .port(0)
                .brokerProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "500")
                .start()) {
            String topic = "timeout";
            RunLogConfig config = RunLogConfig.builder(broker.bootstrapServers())
                    .chunkTopic(topic)
                    .partitions(1)
                    .replicationFactor((short) 1)
                    .commitWindow(Duration.ofMinutes(5))
                    .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                    .kafkaProperty("producer.interceptor.classes", HoldingInterceptor.class.getName())
                    .kafkaProperty("producer.transaction.timeout.ms", "3000")
                    .build();
            CountingListener listener = new CountingListener();
            try (RunLog log = KafkaRunLog.create(config, listener, Clock.systemUTC())) {
                log.start();
                RunSeqs.append(log, "run-a", 1, 3);
                log.flush();

                HoldingInterceptor.armAcknowledgement(config.checkpointTopic());
                RunSeqs.append(log, "run-a", 4, 6);
                CompletableFuture<Void> flushed = CompletableFuture.runAsync(log::flush);
                try {
                    HoldingInterceptor.awaitHeld();
                    Coordinator.awaitAborted(broker.bootstrapServers(), "lsr-recorder-" + topic + "-0");
                } finally {
                    HoldingInterceptor.release();
                }
                flushed.get(120, TimeUnit.SECONDS);

                assertTrue(log.failure().isEmpty(), "a timed-out transaction is no fencing: " + log.failure());
                assertTrue(log.stoppedPartitions().isEmpty(), "and stops no partition: " + log.stoppedPartitions());
                RunSeqs.assertCommittedOnce(log, broker.bootstrapServers(), topic, "run-a", 6);
            }
        }
    }
}
