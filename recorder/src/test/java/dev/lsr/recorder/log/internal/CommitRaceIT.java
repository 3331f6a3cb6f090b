package dev.lsr.recorder.log.internal;

import static dev.lsr.recorder.log.internal.Fixtures.chunk;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.chunklog.ChunkLogFormat;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RunState;
import dev.lsr.kafka.InDoubtTransactions;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.RealKafka;
import dev.lsr.kernel.Backoff;
import dev.lsr.recorder.log.RunLogConfig;
import dev.lsr.recorder.log.RunLogListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The "1,000-run restart hang" of the system benchmark, reproduced without it: the Kafka producer's Sender
 * decides that no batch is incomplete, then a commit lands before it picks its next request, and the
 * EndTxn goes out before the transaction's records ({@link SenderRace}). The driver must never ask to
 * commit records the broker has not acknowledged, so the race has nothing to race with.
 */
@RealKafka
class CommitRaceIT {

    @Test
    void aCommitNeverOvertakesItsOwnRecords(KafkaBroker broker) throws Exception {
        RunLogConfig config = oneTopicPartition(broker, "commit-race");
        PartitionId id = new PartitionId(config.chunkTopic(), 0);
        PendingQueue queue = new PendingQueue(Duration.ofMillis(5), 100, 1 << 20, new ByteBudget(1 << 24));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaClients.producer(config, id))) {
            SenderRace race = SenderRace.install(producer);
            producer.initTransactions();
            TransactionDriver driver = new TransactionDriver(
                    producer,
                    id,
                    new OversizeGuard(1 << 20),
                    queue,
                    RunLogListener.NONE,
                    Clock.systemUTC(),
                    Backoff.doubling(Duration.ofMillis(50), Duration.ofSeconds(1)));
            driver.commit(batch(id, 1, 3));
            awaitCommitComplete(config, id);

            race.armAndAwaitStall();
            driver.commit(batch(id, 4, 6));
            driver.commit(batch(id, 7, 9));
        }

        assertEquals(
                LongStream.rangeClosed(1, 9)
                        .mapToObj(seq -> Envelope.chunkId("run-a", Position.ofSeq(seq)))
                        .toList(),
                committedIds(config.bootstrapServers(), config.chunkTopic()),
                "every record committed once, in order");
    }

    /**
     * The start-up's own writes (tombstones, rebuilt checkpoints, the layout record) commit through
     * {@link StartupWrites}, and meet the same race: an EndTxn ahead of the transaction's records is refused,
     * and under transactions v2 the producer is then unusable, so the start retried until its deadline and failed.
     */
    @Test
    void aStartupWriteNeverOvertakesItsOwnRecords(KafkaBroker broker) throws Exception {
        RunLogConfig config = oneTopicPartition(broker, "startup-write-race");
        PartitionId id = new PartitionId(config.chunkTopic(), 0);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaClients.producer(config, id))) {
            SenderRace race = SenderRace.install(producer);
            producer.initTransactions();
            StartupWrites.commit(
                    producer,
                    id,
                    tombstones(id, "run-a", "run-b"),
                    "tombstones",
                    Deadline.after(Duration.ofSeconds(60)));
            awaitCommitComplete(config, id);

            race.armAndAwaitStall();
            StartupWrites.commit(
                    producer,
                    id,
                    tombstones(id, "run-c", "run-d"),
                    "tombstones",
                    Deadline.after(Duration.ofSeconds(20)));
        }

        assertEquals(
                List.of("run-a", "run-b", "run-c", "run-d"),
                committedKeys(config.bootstrapServers(), config.checkpointTopic()),
                "every write committed once, in order");
    }

    private static List<ProducerRecord<byte[], byte[]>> tombstones(PartitionId id, String... runs) {
        return java.util.Arrays.stream(runs)
                .map(run -> CheckpointRecords.tombstone(id, run))
                .toList();
    }

    /** A log of one partition whose topics exist: {@code prefix}'s chunk topic and its checkpoint topic. */
    private static RunLogConfig oneTopicPartition(KafkaBroker broker, String prefix) {
        RunLogConfig config = RunLogConfig.builder(broker.bootstrapServers())
                .chunkTopic(broker.uniqueTopic(prefix))
                .partitions(1)
                .replicationFactor((short) 1)
                .build();
        try (Admin admin = Admin.create(KafkaClients.admin(config))) {
            new TopicSetup(admin, config, Deadline.after(Duration.ofSeconds(60))).ensure();
        }
        return config;
    }

    /** The coordinator has written the previous commit's markers: an early EndTxn then meets CompleteCommit. */
    private static void awaitCommitComplete(RunLogConfig config, PartitionId id) throws Exception {
        try (Admin admin = Admin.create(KafkaClients.admin(config))) {
            await("the first commit completes")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> admin.describeTransactions(List.of(id.transactionalId()))
                                    .description(id.transactionalId())
                                    .get()
                                    .state()
                            == TransactionState.COMPLETE_COMMIT);
        }
    }

    private static Batch batch(PartitionId id, long from, long to) {
        List<Pending> items = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            items.add(Pending.of(chunk("run-a", seq), RunState.ACTIVE, id, Instant.now()));
        }
        return new Batch(items, CheckpointFold.of(items, run -> null, Instant.now()));
    }

    private static List<String> committedKeys(String bootstrapServers, String topic) {
        List<String> keys = new ArrayList<>();
        readCommitted(bootstrapServers, topic, record -> keys.add(new String(record.key())));
        return keys;
    }

    private static List<String> committedIds(String bootstrapServers, String topic) {
        List<String> ids = new ArrayList<>();
        readCommitted(
                bootstrapServers,
                topic,
                record -> ids.add(new String(
                        record.headers().lastHeader(ChunkLogFormat.Headers.ID).value())));
        return ids;
    }

    /** Every committed record of the topic's partition 0, in offset order, once no transaction is in doubt. */
    private static void readCommitted(
            String bootstrapServers, String topic, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
        InDoubtTransactions.awaitResolved(bootstrapServers, topic, Duration.ofSeconds(60));
        Map<String, Object> config = Map.of(
                "bootstrap.servers",
                bootstrapServers,
                "isolation.level",
                "read_committed",
                "key.deserializer",
                "org.apache.kafka.common.serialization.ByteArrayDeserializer",
                "value.deserializer",
                "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofSeconds(1)).forEach(each);
            }
        }
    }
}
