package dev.lsr.consumer.analytics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.consumer.analytics.RunFold;
import dev.lsr.consumer.reader.RunPartitions;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A saved fold state the fold cannot read (a state header edited by hand, or written by a newer version of the fold):
 * before, the restore threw, the partition's assignment failed, and the job went FAILED at every start. Now that run
 * alone folds on from its initial state, counted as a problem, as a run whose state was deleted does.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StateRestorerUnreadableIT {

    private static final RunFold<String> NAMES = new RunNameFold();

    @Test
    void anUnreadableSavedStateCostsOnlyItsRun(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("summaries-unreadable");
        kafka.createTopic(topic, 1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(SummaryRecords.toRecord(topic, 0, "run-a", "run-a", NAMES, new ConsumedPosition(0, null)))
                    .get();
            producer.send(SummaryRecords.toRecord(topic, 0, "run-b", "{", NAMES, new ConsumedPosition(0, null)))
                    .get();
            producer.send(SummaryRecords.toRecord(topic, 0, "run-c", "run-c", NAMES, new ConsumedPosition(0, null)))
                    .get();
        }
        AtomicLong problems = new AtomicLong();
        StateRestorer restorer = new StateRestorer(
                new KafkaConsumer<>(
                        JobClients.restoreConsumerProperties(Map.of("bootstrap.servers", kafka.bootstrapServers()))),
                kafka.admin(),
                topic,
                problems,
                new RunPartitions(1));

        RunProcessor<String> restored =
                restorer.restore(0, NAMES, new TransactionProblems(problems), Duration.ofSeconds(10));

        assertEquals(2, restored.size(), "run-a and run-c are restored");
        assertEquals(1, problems.get(), "run-b's unreadable state is counted");

        // a rewind or a new assignment restores again, and meets run-b's state again: the same problem
        restorer.restore(0, NAMES, new TransactionProblems(problems), Duration.ofSeconds(10));
        assertEquals(1, problems.get(), "run-b's unreadable state is counted once, not at every restore");
    }
}
