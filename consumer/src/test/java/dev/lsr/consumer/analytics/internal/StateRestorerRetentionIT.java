package dev.lsr.consumer.analytics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.consumer.analytics.RunFold;
import dev.lsr.consumer.reader.RunPartitions;
import dev.lsr.consumer.testing.BeforePoll;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Summary records deleted (a finite {@code retention.ms}, {@code deleteRecords}) while the job restores
 * its fold state: the restore goes on from the partition's new start, so every state still there is
 * restored, and counts what it could not read as problems. With Kafka's default reset ({@code latest})
 * the restore jumped to the end and began with no state at all, without a word.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StateRestorerRetentionIT {

    private static final RunFold<String> NAMES = new RunNameFold();

    @Test
    void aRestoreBehindADeletionRestoresEveryStateStillThereAndCountsTheRest(KafkaBroker kafka) throws Exception {
        String topic = kafka.uniqueTopic("summaries-retention");
        kafka.createTopic(topic, 1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (String run : new String[] {"run-a", "run-b", "run-c", "run-d"}) {
                producer.send(SummaryRecords.toRecord(topic, 0, run, run, NAMES, new ConsumedPosition(0, null)))
                        .get();
            }
        }
        BeforePoll.Gate gate = new BeforePoll.Gate();
        AtomicLong problems = new AtomicLong();
        StateRestorer restorer = new StateRestorer(
                gate.hold(new KafkaConsumer<>(
                        JobClients.restoreConsumerProperties(Map.of("bootstrap.servers", kafka.bootstrapServers())))),
                kafka.admin(),
                topic,
                problems,
                new RunPartitions(1));
        CompletableFuture<RunProcessor<String>> restore = CompletableFuture.supplyAsync(
                () -> restorer.restore(0, NAMES, new TransactionProblems(problems), Duration.ofSeconds(10)));
        assertTrue(gate.awaitPolling(Duration.ofSeconds(30)), "the restore polls");
        kafka.deleteRecordsBefore(topic, 0, 2);
        gate.open();

        RunProcessor<String> restored = restore.get(60, TimeUnit.SECONDS);
        assertEquals(2, restored.size(), "run-c and run-d, still in the topic, are restored");
        assertEquals(2, problems.get(), "the two states deleted unread are counted");
    }
}
