package dev.lsr.recorder.log;

import static dev.lsr.recorder.log.Records.bigChunk;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RunState;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.RealKafka;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A partition that cannot commit (its committer held inside a transaction, as during its leader's
 * outage) fills only its own share of the pending-bytes budget: the runs of the other partitions keep
 * committing, and once it recovers everything of both is committed exactly once.
 */
@RealKafka
class PartitionIsolationIT {

    private static final int PARTITIONS = 2;
    private static final int FILLER_RECORDS = 100;

    @Test
    void aPartitionThatCannotCommitBlocksOnlyItsOwnRuns(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("isolation");
        RunLogConfig config = RunLogConfig.builder(broker.bootstrapServers())
                .chunkTopic(topic)
                .partitions(PARTITIONS)
                .replicationFactor((short) 1)
                .maxBatchBytes(64 << 10)
                .maxPendingBytes(256 << 10)
                .kafkaProperty("producer.interceptor.classes", HoldingInterceptor.class.getName())
                .build();
        String stuck = runOn(0, "stuck");
        String healthy = runOn(1, "healthy");

        try (RunLog log = KafkaRunLog.create(config, RunLogListener.NONE, Clock.systemUTC())) {
            log.start();
            HoldingInterceptor.arm(Envelope.chunkId(stuck, Position.ofSeq(1)), topic);
            AtomicLong filled = new AtomicLong();
            // 100 x 8 KB: more than the whole budget, so this thread ends up blocked whatever the sharing.
            Thread filler = Thread.ofPlatform().name("filler").start(() -> {
                for (long seq = 1; seq <= FILLER_RECORDS; seq++) {
                    log.append(bigChunk(stuck, seq, 8 << 10), RunState.ACTIVE);
                    filled.set(seq);
                }
            });
            try {
                HoldingInterceptor.awaitHeld();
                awaitBlocked(filler);

                Thread other = Thread.ofPlatform().name("healthy-appender").start(() -> {
                    for (long seq = 1; seq <= 5; seq++) {
                        // Twice the filler's size: more than the room its last append left in any budget.
                        log.append(bigChunk(healthy, seq, 16 << 10), RunState.ACTIVE);
                    }
                });
                assertTrue(
                        awaitCommitted(log, healthy, 5, Duration.ofSeconds(60)),
                        "the run of partition 1 kept committing while partition 0 could not (" + filled.get()
                                + " records of the stuck run appended)");
                other.join();
            } finally {
                HoldingInterceptor.release();
            }
            filler.join(Duration.ofSeconds(120));
            assertEquals(FILLER_RECORDS, filled.get(), "the stuck run's appends went on once it committed again");
            log.flush();
        }

        Map<String, List<ChunkLogRecord>> byRun = Topics.chunksByRun(broker.bootstrapServers(), topic);
        assertEquals(
                LongStream.rangeClosed(1, FILLER_RECORDS)
                        .mapToObj(Long::toString)
                        .toList(),
                byRun.get(stuck).stream().map(Records::describe).toList(),
                "every record of the stuck run, once");
        assertEquals(
                List.of("1", "2", "3", "4", "5"),
                byRun.get(healthy).stream().map(Records::describe).toList(),
                "every record of the healthy run, once");
    }

    /** A run id that maps to {@code partition}. */
    private static String runOn(int partition, String prefix) {
        for (int i = 0; ; i++) {
            String runId = "run-" + prefix + "-" + i;
            if (TopicConventions.partitionFor(runId, PARTITIONS) == partition) {
                return runId;
            }
        }
    }

    /** Waits until {@code thread} parks in an append that waits for budget (nothing else can park it). */
    private static void awaitBlocked(Thread thread) throws InterruptedException {
        await("the filler blocks on the budget")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    assertTrue(thread.isAlive(), "the filler ended instead of blocking on the budget");
                    return thread.getState() == Thread.State.WAITING;
                });
    }

    private static boolean awaitCommitted(RunLog log, String runId, long seq, Duration timeout)
            throws InterruptedException {
        try {
            await().atMost(timeout)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> log.checkpoint(runId)
                            .map(c -> c.lastPosition().equals(Position.ofSeq(seq)))
                            .orElse(false));
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
