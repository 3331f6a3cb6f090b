package dev.lsr.consumer.reader;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.consumer.kafka.KafkaUnavailableException;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that goes away in the middle of a bounded replay (a rebuild, an export, the viewer's run page): the
 * replay gives up after the reader's timeout with Kafka named as the cause. Kafka's poll answers "nothing" while it
 * cannot reach the broker, so the replay used to wait without end, and the CLI hung.
 */
class ReplayBrokerGoneIT {

    @TempDir
    Path dataDir;

    @Test
    void aBrokerGoneMidReplayEndsItAfterTheTimeout() throws Exception {
        EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().dataDir(dataDir).port(0).start();
        String topic = "letta.chunks";
        try {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(Set.of(new NewTopic(topic, 1, (short) 1)))
                        .all()
                        .get();
            }
            try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
                for (int i = 0; i < 20; i++) {
                    producer.append(FixtureLog.of("05-long-run-with-pings")
                            .runId("run-" + i)
                            .records());
                }
            }
            // small fetches, so the broker is gone long before the replay read it all
            Map<String, Object> client = Map.of(
                    "bootstrap.servers", broker.bootstrapServers(),
                    "max.partition.fetch.bytes", 4096,
                    "fetch.max.bytes", 4096,
                    "max.poll.records", 20,
                    "reconnect.backoff.max.ms", 500);
            EmbeddedKafkaBroker running = broker;
            AtomicBoolean closed = new AtomicBoolean();
            CompletableFuture<ReplayStats> replay = CompletableFuture.supplyAsync(() -> {
                try (ChunkLogReader reader = ChunkLogReader.open(client, topic, Duration.ofSeconds(3))) {
                    return reader.replay(
                            RunFilter.all(),
                            event -> {
                                if (closed.compareAndSet(false, true)) {
                                    running.close();
                                }
                            },
                            ReplayProgress.NONE);
                }
            });

            ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
                    ExecutionException.class, () -> replay.get(60, TimeUnit.SECONDS));
            assertInstanceOf(KafkaUnavailableException.class, failed.getCause(), String.valueOf(failed.getCause()));
            assertTrue(
                    failed.getCause().getMessage().contains("left to read"),
                    failed.getCause().getMessage());
        } finally {
            broker.close();
        }
    }

    /**
     * A broker gone before the replay starts (a run page opened while Kafka is down): the same exception, not Kafka's
     * own timeout from the topic's metadata or offsets, which the CLI and the viewer did not take for Kafka's outage.
     */
    @Test
    void aBrokerGoneBeforeTheReplayIsReportedAsUnavailable() throws Exception {
        String bootstrapServers;
        try (EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().dataDir(dataDir).port(0).start()) {
            bootstrapServers = broker.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
                admin.createTopics(Set.of(new NewTopic("letta.chunks", 1, (short) 1)))
                        .all()
                        .get();
            }
        }
        Map<String, Object> client = Map.of("bootstrap.servers", bootstrapServers, "reconnect.backoff.max.ms", 500);
        try (ChunkLogReader reader = ChunkLogReader.open(client, "letta.chunks", Duration.ofSeconds(2))) {
            KafkaUnavailableException e = org.junit.jupiter.api.Assertions.assertThrows(
                    KafkaUnavailableException.class,
                    () -> reader.replay(RunFilter.runs(Set.of("run-1")), event -> {}, ReplayProgress.NONE));
            assertTrue(e.getMessage().contains("letta.chunks"), e.getMessage());
        }
    }
}
