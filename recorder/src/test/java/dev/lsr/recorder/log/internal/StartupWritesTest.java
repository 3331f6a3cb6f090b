package dev.lsr.recorder.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lsr.recorder.log.RunLogStartException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StartupWritesTest {

    private final PartitionId id = new PartitionId("letta.chunks", 0);
    private final List<ProducerRecord<byte[], byte[]>> tombstones =
            List.of(CheckpointRecords.tombstone(id, "run-a"), CheckpointRecords.tombstone(id, "run-b"));

    private final List<ScriptedProducer> producers = new ArrayList<>();

    private ScriptedProducer producer() {
        ScriptedProducer producer = new ScriptedProducer();
        producer.initTransactions();
        producers.add(producer);
        return producer;
    }

    @AfterEach
    void everyScriptedFailureHappened() {
        producers.forEach(ScriptedProducer::assertExhausted);
    }

    @Test
    void aTimedOutCommitIsRetriedAsIsWithoutSendingAgain() {
        ScriptedProducer producer = producer().failCommit(new TimeoutException("EndTxn took longer than max.block.ms"));

        StartupWrites.commit(producer, id, tombstones, "tombstones", Deadline.after(Duration.ofSeconds(30)));

        assertEquals(1, producer.begins());
        assertEquals(2, producer.history().size());
        assertEquals("run-a", new String(producer.history().getFirst().key(), UTF_8));
    }

    @Test
    void anAbortableErrorAbortsAndSendsTheSameRecordsAgain() {
        ScriptedProducer producer = producer().failCommit(new TransactionAbortableException("abortable"));

        StartupWrites.commit(producer, id, tombstones, "tombstones", Deadline.after(Duration.ofSeconds(30)));

        assertEquals(2, producer.begins());
        assertEquals(1, producer.aborts());
        assertEquals(2, producer.history().size(), "only the committed transaction's records");
    }

    @Test
    void fencedIsAStartFailure() {
        ScriptedProducer producer = producer().failCommit(new ProducerFencedException("another owner"));

        RunLogStartException e = assertThrows(
                RunLogStartException.class,
                () -> StartupWrites.commit(
                        producer, id, tombstones, "tombstones", Deadline.after(Duration.ofSeconds(30))));
        assertEquals(
                "could not write tombstones of partition 0 of letta.chunks: ProducerFencedException: another owner",
                e.getMessage());
    }
}
