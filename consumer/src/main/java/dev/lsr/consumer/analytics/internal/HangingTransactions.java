package dev.lsr.consumer.analytics.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and aborts the <em>hanging</em> transactions of one partition (KIP-664): data of a transaction
 * the partition still holds open, although the transaction's coordinator has already aborted it or no
 * longer knows it, so no marker will ever come. Such a transaction holds the partition's last stable
 * offset for ever, and with it every read_committed reader (seen in CI: the job's own aborted transaction
 * left open on a summary partition after a broker restart, the restore waiting on it until the test gave
 * up). A transaction its coordinator says is ongoing, preparing, or committed is never touched: only an
 * abort marker is written, and only where the coordinator has decided "abort" or forgotten the producer.
 */
final class HangingTransactions {

    private static final Logger log = LoggerFactory.getLogger(HangingTransactions.class);

    private HangingTransactions() {}

    /** What the partition holds open for one producer, and what its coordinator says (null: no coordinator knows it). */
    record Open(ProducerState producer, TransactionDescription coordinator) {

        /** Hanging: the coordinator aborted the transaction, holds none for this producer, or forgot it. */
        boolean isHanging() {
            if (coordinator == null) {
                return true;
            }
            if (coordinator.producerId() != producer.producerId()) {
                return true; // the transactional id moved on to another producer id: this one's transaction is over
            }
            TransactionState state = coordinator.state();
            return state == TransactionState.COMPLETE_ABORT || state == TransactionState.EMPTY;
        }
    }

    /**
     * Aborts the partition's hanging transactions; returns a description of each one aborted (empty when
     * none hangs: the open transactions are really in progress).
     */
    static List<String> abort(Admin admin, TopicPartition tp, Duration timeout) throws Exception {
        List<String> aborted = new ArrayList<>();
        for (Open open : open(admin, tp, timeout)) {
            if (!open.isHanging()) {
                continue;
            }
            ProducerState producer = open.producer();
            AbortTransactionSpec spec = new AbortTransactionSpec(
                    tp,
                    producer.producerId(),
                    (short) producer.producerEpoch(),
                    producer.coordinatorEpoch().orElse(0));
            admin.abortTransaction(spec).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String what = "producer id " + producer.producerId() + " epoch " + producer.producerEpoch()
                    + ", open since offset "
                    + producer.currentTransactionStartOffset().orElse(-1) + ", coordinator: "
                    + (open.coordinator() == null
                            ? "no such producer"
                            : open.coordinator().state());
            log.warn("Aborted a hanging transaction on {} ({}): no marker would ever have closed it", tp, what);
            aborted.add(what);
        }
        return aborted;
    }

    private static List<Open> open(Admin admin, TopicPartition tp, Duration timeout) throws Exception {
        List<Open> open = new ArrayList<>();
        Collection<ProducerState> producers = admin.describeProducers(List.of(tp))
                .partitionResult(tp)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .activeProducers();
        for (ProducerState producer : producers) {
            if (producer.currentTransactionStartOffset().isPresent()) {
                open.add(new Open(producer, coordinatorView(admin, producer.producerId(), timeout)));
            }
        }
        return open;
    }

    private static TransactionDescription coordinatorView(Admin admin, long producerId, Duration timeout)
            throws Exception {
        Collection<TransactionListing> listings = admin.listTransactions(
                        new ListTransactionsOptions().filterProducerIds(Set.of(producerId)))
                .all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        for (TransactionListing listing : listings) {
            try {
                return admin.describeTransactions(List.of(listing.transactionalId()))
                        .description(listing.transactionalId())
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                // described by another listing, or expired meanwhile: try the next one
            }
        }
        return null;
    }
}
