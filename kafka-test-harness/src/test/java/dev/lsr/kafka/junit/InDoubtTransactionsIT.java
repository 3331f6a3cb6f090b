package dev.lsr.kafka.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.kafka.InDoubtTransactions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

@RealKafka
class InDoubtTransactionsIT {

    @Test
    void afterACommitTheLastStableOffsetCoversEveryRecordOfTheTransaction(KafkaBroker broker) {
        String topic = broker.uniqueTopic("in-doubt-committed");
        broker.createTopic(topic, 3);
        try (KafkaProducer<String, String> producer =
                Clients.transactionalProducer(broker.bootstrapServers(), broker.uniqueId("tx"))) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(topic, i % 3, "key", "value-" + i));
            }
            producer.commitTransaction();
        }

        InDoubtTransactions.awaitResolved(broker.admin(), topic, Duration.ofSeconds(30));

        try (KafkaConsumer<String, String> consumer = Clients.consumer(
                broker.bootstrapServers(), Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            for (int p = 0; p < 3; p++) {
                TopicPartition partition = new TopicPartition(topic, p);
                long stable = consumer.endOffsets(Set.of(partition)).get(partition);
                assertEquals(11, stable, "10 records and the commit marker on " + partition);
            }
        }
    }

    @Test
    void anOpenTransactionKeepsTheTopicInDoubtUntilTheTimeout(KafkaBroker broker) {
        String topic = broker.uniqueTopic("in-doubt-open");
        broker.createTopic(topic, 1);
        try (KafkaProducer<String, String> producer =
                Clients.transactionalProducer(broker.bootstrapServers(), broker.uniqueId("tx"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "key", "open"));
            producer.flush();

            IllegalStateException open = assertThrows(
                    IllegalStateException.class,
                    () -> InDoubtTransactions.awaitResolved(broker.admin(), topic, Duration.ofMillis(500)));
            assertTrue(open.getMessage().contains("still in doubt"), open.getMessage());

            producer.abortTransaction();
            InDoubtTransactions.awaitResolved(broker.admin(), topic, Duration.ofSeconds(30));
        }
        assertEquals(List.of(), Clients.readAll(broker.bootstrapServers(), topic, "read_committed"));
    }
}
