package dev.lsr.consumer.analytics.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;

/**
 * Makes the analytics job's transactional producers, all with the job's transactional id: the first, and a new one
 * whenever the last lost its transaction state ({@link JobLoop}).
 *
 * @param make               a new producer, not initialised
 * @param transactionTimeout their {@code transaction.timeout.ms}: a transaction older than this may have been aborted
 *                           by its coordinator, whose epoch bump then reads as a fencing
 */
public record JobProducers(Supplier<Producer<byte[], byte[]>> make, Duration transactionTimeout) {

    public JobProducers {
        Objects.requireNonNull(make, "make");
        Objects.requireNonNull(transactionTimeout, "transactionTimeout");
    }
}
