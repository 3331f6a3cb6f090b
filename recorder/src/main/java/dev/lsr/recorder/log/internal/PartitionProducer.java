package dev.lsr.recorder.log.internal;

import java.time.Duration;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactional producer of one owned partition, replaceable: a producer that died of an error that
 * is not a fencing (a commit that overtook its records, a transaction the coordinator aborted for its
 * timeout, an expired producer id) is closed and a new one with the same transactional id is initialised
 * ({@code initTransactions} aborts whatever the old one left open). Used by the partition's committer;
 * {@link #close} may come from the closing thread.
 */
final class PartitionProducer {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionProducer.class);

    private final PartitionId id;
    private final Function<PartitionId, Producer<byte[], byte[]>> factory;
    private Producer<byte[], byte[]> current;
    private boolean closed;

    PartitionProducer(
            PartitionId id,
            Producer<byte[], byte[]> initialised,
            Function<PartitionId, Producer<byte[], byte[]>> factory) {
        this.id = id;
        this.current = initialised;
        this.factory = factory;
    }

    synchronized Producer<byte[], byte[]> get() {
        return current;
    }

    /**
     * Replaces the producer by a new, initialised one. Throws what {@code initTransactions} threw (the
     * caller classifies it); a timed-out initialisation leaves the new producer to be initialised again.
     */
    void reinitialise(Duration closeOld) {
        Producer<byte[], byte[]> old;
        Producer<byte[], byte[]> fresh;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException(id + " is closed");
            }
            old = current;
            fresh = factory.apply(id);
            current = fresh;
        }
        old.close(closeOld);
        LOG.info("{}: re-initialising the transactional producer (transactional id {})", id, id.transactionalId());
        fresh.initTransactions();
    }

    /** Initialises the current producer again after a timed-out {@link #reinitialise}. */
    void initTransactions() {
        get().initTransactions();
    }

    synchronized void close(Duration timeout) {
        closed = true;
        current.close(timeout);
    }
}
