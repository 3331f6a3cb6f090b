package dev.lsr.recorder.log.internal;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The one rule before every commit, the committers' and the start-up's: wait until Kafka acknowledged every record
 * of the transaction. The producer's Sender can decide that no batch is incomplete, then see the commit and send
 * the EndTxn ahead of the transaction's records; the broker refuses it, and under transactions v2 the producer is
 * then unusable ({@code CommitRaceIT}). Called after {@code flush()}, so it waits only where a send failed.
 */
final class Acknowledgements {

    private Acknowledgements() {}

    /** Waits for every send; a failed one is rethrown as what the send failed with, for the error classification. */
    static void await(List<Future<RecordMetadata>> sends, Deadline deadline) throws InterruptedException {
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : new KafkaException(e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                throw new TimeoutException("records not acknowledged within the commit deadline");
            }
        }
    }
}
