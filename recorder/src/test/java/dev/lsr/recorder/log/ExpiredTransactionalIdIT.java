package dev.lsr.recorder.log;

import static dev.lsr.recorder.log.Records.chunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RunState;
import dev.lsr.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
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
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).port(0)
                .brokerProperty("transactional.id.expiration.ms", "2000")
                .brokerProperty("transaction.remove.expired.transaction.cleanup.interval.ms", "500").start()) {
            String topic = "expiring";
            RunLogConfig config = RunLogConfig.builder(broker.bootstrapServers())
                    .chunkTopic(topic).partitions(1).replicationFactor((short) 1)
                    .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                    .build();
            try (RunLog log = KafkaRunLog.create(config, RunLogListener.NONE, Clock.systemUTC())) {
                log.start();
                appendSeqs(log, 1, 3);
                log.flush();

                awaitExpired(broker.bootstrapServers(), "lsr-recorder-" + topic + "-0");
                appendSeqs(log, 4, 6);
                CompletableFuture.runAsync(log::flush).get(120, TimeUnit.SECONDS);

                assertTrue(log.failure().isEmpty(), "an expired transactional id is no failure: " + log.failure());
                assertTrue(log.stoppedPartitions().isEmpty(), "and stops no partition: " + log.stoppedPartitions());
                assertEquals(LongStream.rangeClosed(1, 6).mapToObj(Long::toString).toList(),
                        Topics.chunksByRun(broker.bootstrapServers(), topic).get("run-a").stream()
                                .map(Records::describe).toList(),
                        "every record committed once, in order");
                assertEquals(Position.ofSeq(6), log.checkpoint("run-a").orElseThrow().lastPosition());
            }
        }
    }

    private static void awaitExpired(String bootstrapServers, String transactionalId) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (true) {
                try {
                    admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TransactionalIdNotFoundException) {
                        return;
                    }
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the transactional id never expired");
                }
                Thread.sleep(200);
            }
        }
    }

    private static void appendSeqs(RunLog log, long from, long to) {
        for (long seq = from; seq <= to; seq++) {
            log.append(chunk("run-a", seq), RunState.ACTIVE);
        }
    }
}
