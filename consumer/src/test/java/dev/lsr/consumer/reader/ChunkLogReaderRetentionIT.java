package dev.lsr.consumer.reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.consumer.testing.BeforePoll;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.kernel.LogReaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records deleted from the chunk topic (a finite {@code retention.ms}, {@code deleteRecords}) while a
 * replay has not read them yet: the reader goes on from the partition's new start, so every record
 * still there is read, and the replay says how many offsets it could not read. Kafka's default reset
 * ({@code latest}) would jump to the end instead: the replay would end "without problems" having
 * skipped every run after the deleted records.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ChunkLogReaderRetentionIT {

    @Test
    void aReplayBehindADeletionReadsEveryRecordStillThereAndCountsTheRest(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("reader-retention");
        kafka.createTopic(topic, 1);
        List<ChunkLogRecord> kept =
                FixtureLog.of("02-tool-call-two-steps").runId("run-kept").records();
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(
                    FixtureLog.of("01-simple-reply").runId("run-deleted").records());
            producer.append(kept);
        }
        BeforePoll.Gate gate = new BeforePoll.Gate();
        Consumer<byte[], byte[]> consumer = gate.hold(
                new KafkaConsumer<>(LogReaders.properties(Map.of("bootstrap.servers", kafka.bootstrapServers()))));
        List<String> delivered = new ArrayList<>();
        try (ChunkLogReader reader = new ChunkLogReader(consumer, topic, Duration.ofSeconds(10))) {
            CompletableFuture<ReplayStats> replay = CompletableFuture.supplyAsync(() -> reader.replay(
                    RunFilter.all(),
                    event -> {
                        if (event instanceof ReplayEvent.OfRecord record && !record.isRepeat()) {
                            delivered.add(record.runId());
                        }
                    },
                    ReplayProgress.NONE));
            assertTrue(gate.awaitPolling(Duration.ofSeconds(30)), "the replay polls");
            long deletedBefore = 3;
            kafka.deleteRecordsBefore(topic, 0, deletedBefore);
            gate.open();

            ReplayStats stats = replay.get(60, TimeUnit.SECONDS);
            assertEquals(
                    kept.size(),
                    delivered.stream().filter("run-kept"::equals).count(),
                    "every record of the run after the deleted ones is read: " + stats.summaryLine());
            assertEquals(deletedBefore, stats.deletedOffsets(), stats.summaryLine());
            assertTrue(stats.hasProblems(), stats.summaryLine());
        }
    }
}
