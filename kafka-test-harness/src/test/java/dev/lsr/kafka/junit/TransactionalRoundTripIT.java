package dev.lsr.kafka.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

@RealKafka
class TransactionalRoundTripIT {

    @Test
    void readCommittedSeesOnlyCommittedRecordsWhileReadUncommittedAlsoSeesAbortedOnes(KafkaBroker broker) {
        String topic = broker.uniqueTopic("tx-round-trip");
        broker.createTopic(topic, 1);

        try (KafkaProducer<String, String> producer =
                Clients.transactionalProducer(broker.bootstrapServers(), broker.uniqueId("tx"))) {
            producer.initTransactions();
            inTransaction(producer, topic, List.of("committed-1", "committed-2"));
            producer.commitTransaction();
            inTransaction(producer, topic, List.of("aborted-1", "aborted-2"));
            producer.flush();
            producer.abortTransaction();
            inTransaction(producer, topic, List.of("committed-3"));
            producer.commitTransaction();
        }

        assertEquals(
                List.of("committed-1", "committed-2", "committed-3"),
                Clients.readAll(broker.bootstrapServers(), topic, "read_committed"));
        assertEquals(
                List.of("committed-1", "committed-2", "aborted-1", "aborted-2", "committed-3"),
                Clients.readAll(broker.bootstrapServers(), topic, "read_uncommitted"));
    }

    @Test
    void aConsumerGroupResumesFromItsCommittedOffset(KafkaBroker broker) {
        String topic = broker.uniqueTopic("group-resume");
        String group = broker.uniqueId("group");
        broker.createTopic(topic, 1);
        try (KafkaProducer<String, String> producer =
                Clients.transactionalProducer(broker.bootstrapServers(), broker.uniqueId("tx"))) {
            producer.initTransactions();
            inTransaction(producer, topic, List.of("a", "b", "c"));
            producer.commitTransaction();
        }

        assertEquals(List.of("a", "b", "c"), consumeInGroup(broker, topic, group, 3));
        try (KafkaProducer<String, String> producer =
                Clients.transactionalProducer(broker.bootstrapServers(), broker.uniqueId("tx"))) {
            producer.initTransactions();
            inTransaction(producer, topic, List.of("d"));
            producer.commitTransaction();
        }
        assertEquals(List.of("d"), consumeInGroup(broker, topic, group, 1));
    }

    private static void inTransaction(KafkaProducer<String, String> producer, String topic, List<String> values) {
        producer.beginTransaction();
        for (String value : values) {
            producer.send(new ProducerRecord<>(topic, "key", value));
        }
    }

    private static List<String> consumeInGroup(KafkaBroker broker, String topic, String group, int count) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.GROUP_ID_CONFIG,
                group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker.bootstrapServers(), config)) {
            consumer.subscribe(Set.of(topic));
            long deadline = System.nanoTime() + Clients.READ_TIMEOUT.toNanos();
            while (values.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            consumer.commitSync();
        }
        return values;
    }
}
