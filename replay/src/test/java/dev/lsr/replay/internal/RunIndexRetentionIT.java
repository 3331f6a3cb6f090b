package dev.lsr.replay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.consumer.testing.BeforePoll;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.kernel.LogReaders;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records deleted from the chunk topic (retention, {@code deleteRecords}) while the index has not read
 * them yet: the index goes on from the partition's new start, says how many offsets it could not read,
 * and still indexes every record that is there. Kafka's default reset ({@code latest}) would move it to
 * the end instead and skip, without a word, every record between the new start and the end.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RunIndexRetentionIT {

    @Test
    void anIndexBehindADeletionGoesOnFromTheNewStartAndSkipsNothingThatIsThere(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("index-retention");
        kafka.createTopic(topic, 1);
        try (ChunkLogProducer producer = new ChunkLogProducer(kafka.bootstrapServers(), topic)) {
            producer.append(
                    FixtureLog.of("01-simple-reply").runId("run-deleted").records());
            producer.append(
                    FixtureLog.of("02-tool-call-two-steps").runId("run-kept").records());
        }
        BeforePoll.Gate gate = new BeforePoll.Gate();
        Consumer<byte[], byte[]> consumer = gate.hold(
                new KafkaConsumer<>(LogReaders.properties(Map.of("bootstrap.servers", kafka.bootstrapServers()))));
        try (RunIndex index = new RunIndex(consumer, topic, Duration.ofSeconds(10))) {
            index.start(); // its position is the partition's start, offset 0
            assertTrue(gate.awaitPolling(Duration.ofSeconds(30)), "the index polls");
            long deletedBefore = 3;
            kafka.deleteRecordsBefore(topic, 0, deletedBefore);
            gate.open();

            assertTrue(index.awaitReady(Duration.ofSeconds(30)), "ready");
            assertTrue(index.find("run-kept").isPresent(), "the run after the deleted records is indexed");
            assertTrue(index.find("run-deleted").orElseThrow().headless(), "the run that lost its start says so");
            assertEquals(deletedBefore, index.offsetsDeletedUnread());
        }
    }
}
