package dev.lsr.recorder.log;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition idle longer than the broker's {@code transactional.id.expiration.ms} (days in production):
 * the coordinator forgets its transactional id, and the producer's next transaction is answered
 * {@code INVALID_PRODUCER_ID_MAPPING}. That is no reason to stop: the log re-initialises the producer and
 * commits the batch. Its own broker, with an expiration of 2 s checked every 500 ms.
 */
class ExpiredTransactionalIdIT {

    @TempDir
    Path dataDir;

    @Test
    void aPartitionIdleUntilItsTransactionalIdExpiredGetsANewProducerAndGoesOn() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .dataDir(dataDir)
                .port(0)
                .brokerProperty("transactional.id.expiration.ms", "2000")
                .brokerProperty("transaction.remove.expired.transaction.cleanup.interval.ms", "500")
                .start()) {
            String topic = "expiring";
            RunLogConfig config = RunLogConfig.builder(broker.bootstrapServers())
                    .chunkTopic(topic)
                    .partitions(1)
                    .replicationFactor((short) 1)
                    .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                    .build();
            try (RunLog log = KafkaRunLog.create(config, RunLogListener.NONE, Clock.systemUTC())) {
                log.start();
                RunSeqs.append(log, "run-a", 1, 3);
                log.flush();

                awaitExpired(broker.bootstrapServers(), "lsr-recorder-" + topic + "-0");
                RunSeqs.append(log, "run-a", 4, 6);
                CompletableFuture.runAsync(log::flush).get(120, TimeUnit.SECONDS);

                assertTrue(log.failure().isEmpty(), "an expired transactional id is no failure: " + log.failure());
                assertTrue(log.stoppedPartitions().isEmpty(), "and stops no partition: " + log.stoppedPartitions());
                RunSeqs.assertCommittedOnce(log, broker.bootstrapServers(), topic, "run-a", 6);
            }
        }
    }

    private static void awaitExpired(String bootstrapServers, String transactionalId) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            await("the transactional id expires")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        try {
                            admin.describeTransactions(List.of(transactionalId))
                                    .description(transactionalId)
                                    .get();
                            return false;
                        } catch (ExecutionException e) {
                            if (e.getCause() instanceof TransactionalIdNotFoundException) {
                                return true;
                            }
                            throw e;
                        }
                    });
        }
    }
}
