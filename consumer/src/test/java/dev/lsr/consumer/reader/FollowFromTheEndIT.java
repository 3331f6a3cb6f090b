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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code consumer follow} starts at the log's end, so it meets runs already in progress from their middle. Their
 * first chunk seen is where they start for it: before, every such run was reported with a gap ("missing seqs
 * 1 .. N"), which it does not have.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FollowFromTheEndIT {

    @Test
    void aRunAlreadyInProgressIsFollowedWithoutAFalseGap(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("follow-from-end");
        kafka.createTopic(topic, 1);
        List<ChunkLogRecord> run =
                FixtureLog.of("05-long-run-with-pings").runId("run-in-progress").records();
        int half = run.size() / 2;
        BeforePoll.Gate gate = new BeforePoll.Gate();
        Consumer<byte[], byte[]> consumer = gate.hold(
                new KafkaConsumer<>(LogReaders.properties(Map.of("bootstrap.servers", kafka.bootstrapServers()))));
        List<ReplayEvent> events = new CopyOnWriteArrayList<>();
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic);
                ChunkLogReader reader = new ChunkLogReader(consumer, topic, Duration.ofSeconds(10))) {
            producer.append(run.subList(0, half));
            CompletableFuture<ReplayStats> follow =
                    CompletableFuture.supplyAsync(() -> reader.follow(RunFilter.all(), events::add, false));
            assertTrue(gate.awaitPolling(Duration.ofSeconds(30)), "the follow is at the log's end and polls");
            producer.append(run.subList(half, run.size()));
            gate.open();

            Awaitility.await("the rest of the run is followed")
                    .atMost(Duration.ofSeconds(60))
                    .until(() ->
                            events.stream().filter(e -> e.delivered() != null).count() >= run.size() - half);
            reader.stop();
            follow.get(30, TimeUnit.SECONDS);
        }

        assertEquals(
                List.of(),
                events.stream().filter(e -> e instanceof ReplayEvent.Gap).toList(),
                "no gap: the run is followed from its first chunk seen");
    }
}
