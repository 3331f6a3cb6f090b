package dev.lsr.recorder.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.RealKafka;
import dev.lsr.recorder.log.RunLogConfig;
import dev.lsr.recorder.log.RunLogStartException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The start-up reads (the checkpoint restore, the layout record, the rebuild from the chunk log) read a
 * partition from its start to its end. Records deleted while such a read runs (an operator's
 * {@code deleteRecords}, a retention) must fail the start, not move the read past them: a checkpoint
 * skipped that way makes its run look new.
 */
@RealKafka
class ReadWhileDeletedIT {

    private static final int RECORDS = 20;
    private static final long DELETED_BEFORE = 15;

    @Test
    void recordsDeletedWhileAPartitionIsReadFailTheReadInsteadOfBeingSkipped(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("read-while-deleted");
        broker.createTopic(topic, 1);
        TopicPartition partition = new TopicPartition(topic, 0);
        produceOneBatchEach(broker, topic);
        // one batch per fetch: the read is still at the partition's start when the records go
        RunLogConfig config = RunLogConfig.builder(broker.bootstrapServers())
                .chunkTopic(topic)
                .kafkaProperty("consumer.max.partition.fetch.bytes", "1")
                .kafkaProperty("consumer.fetch.max.bytes", "1")
                .kafkaProperty("consumer.max.poll.records", "1")
                .build();
        List<Long> read = new ArrayList<>();

        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.restoreConsumer(config))) {
            RunLogStartException e = assertThrows(
                    RunLogStartException.class,
                    () -> PartitionReader.read(consumer, partition, Deadline.after(Duration.ofSeconds(60)), record -> {
                        read.add(record.offset());
                        if (record.offset() == 0) {
                            deleteBefore(broker, partition, DELETED_BEFORE);
                        }
                        return true;
                    }),
                    () -> "records deleted during the read were skipped: read offsets " + read);
            assertTrue(e.getMessage().contains("deleted while"), e.getMessage());
            assertTrue(e.getMessage().contains(partition.toString()), e.getMessage());
        }
        assertFalse(read.contains(DELETED_BEFORE), "the read never jumped past the deletion: " + read);
    }

    /**
     * A read whose deadline has passed (a rebuild of the checkpoints that took longer than the start timeout, a
     * slow fencing before it) must fail, not count a partition as read: Kafka's {@code endOffsets} with no time
     * left answers an empty map, no error, and a restore that read nothing would make every run look new.
     */
    @Test
    void aReadWithNoTimeLeftFailsInsteadOfReadingNothing(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("read-out-of-time");
        broker.createTopic(topic, 1);
        TopicPartition partition = new TopicPartition(topic, 0);
        produceOneBatchEach(broker, topic);
        RunLogConfig config = RunLogConfig.builder(broker.bootstrapServers())
                .chunkTopic(topic)
                .build();
        List<Long> read = new ArrayList<>();

        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.restoreConsumer(config))) {
            RunLogStartException e = assertThrows(
                    RunLogStartException.class,
                    () -> PartitionReader.read(consumer, partition, Deadline.after(Duration.ZERO), record -> {
                        read.add(record.offset());
                        return true;
                    }),
                    () -> "the read ended as if complete, having read offsets " + read);
            assertTrue(e.getMessage().contains(partition.toString()), e.getMessage());
        }
    }

    /**
     * The committer's look at its partition's tail before re-initialising in place: records deleted past the offset
     * it asks from (a retention on the chunk topic of an idle partition, {@code deleteRecords}) are nobody's new
     * commits, not an error that stops the partition.
     */
    @Test
    void theTailLookSkipsRecordsDeletedSinceItsOffset(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("tail-deleted");
        broker.createTopic(topic, 1);
        TopicPartition partition = new TopicPartition(topic, 0);
        produceOneBatchEach(broker, topic);
        deleteBefore(broker, partition, RECORDS);
        RunLogConfig config = RunLogConfig.builder(broker.bootstrapServers())
                .chunkTopic(topic)
                .build();
        KafkaPartitionTail tail = new KafkaPartitionTail(config, partition, Duration.ofSeconds(30));

        assertFalse(tail.holdsCommittedRecordsFrom(3), "nothing past the deleted records");
        produceOneBatchEach(broker, topic);
        assertTrue(tail.holdsCommittedRecordsFrom(3), "records committed after the deleted ones");
        assertFalse(tail.holdsCommittedRecordsFrom(2L * RECORDS));
    }

    private static void produceOneBatchEach(KafkaBroker broker, String topic) throws Exception {
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG,
                0,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, 0, ("run-" + i).getBytes(UTF_8), "{}".getBytes(UTF_8)))
                        .get();
            }
        }
    }

    private static void deleteBefore(KafkaBroker broker, TopicPartition partition, long offset) {
        try {
            broker.admin()
                    .deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(offset)))
                    .all()
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException("could not delete the records of " + partition, e);
        }
    }
}
