package dev.lsr.kernel;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedForMessageFormatException;

/**
 * The one place that decides what an error of a transactional producer means (Kafka's KIP-1050
 * categories), for the recorder's transaction driver and the analytics job's loop alike:
 * <ul>
 *   <li>{@link ProducerFencedException} anywhere in the cause chain, in a transaction younger than its
 *       {@code transaction.timeout.ms}: another producer with the same transactional id started, i.e.
 *       another instance owns the work now. {@link FencedInstanceIdException} (another consumer with the
 *       same {@code group.instance.id}) likewise. Fenced, never retried (re-initialising would steal the
 *       work back).</li>
 *   <li>Configuration-class errors (authorization, authentication, unsupported version), non-Kafka
 *       exceptions, a broken client invariant ({@link IllegalStateException}) and any failure of
 *       {@code beginTransaction}/{@code abortTransaction} not listed below: fatal.</li>
 *   <li>Lost producer state that is not a fencing: {@link InvalidTxnStateException} (a commit that overtook
 *       its own records, or a transaction the coordinator aborted for its timeout),
 *       {@link InvalidPidMappingException} (the transactional id expired after a long idle time),
 *       {@link OutOfOrderSequenceException}, a coordinator that failed an EndTxn with an unknown server
 *       error, and a {@link ProducerFencedException} of a transaction older than its timeout (the coordinator
 *       bumped the epoch when it aborted it): a new producer for the same transactional id can go on.</li>
 *   <li>A {@link TimeoutException} thrown by {@code initTransactions}, {@code commitTransaction} or
 *       {@code abortTransaction} itself: the call must be retried as is (Kafka forbids another
 *       operation after a timed-out commit: it may still complete).</li>
 *   <li>Everything else during send or commit (retriable errors, {@code TransactionAbortableException}, a
 *       record Kafka refused) and {@link InvalidProducerEpochException}: abort the transaction and do it
 *       again. Why the epoch error is abortable, not a fencing: since KIP-588 (Kafka 2.7) the coordinator
 *       answers a producer whose transaction it timed out with {@code INVALID_PRODUCER_EPOCH}, and the client
 *       turns it into an abortable error (its Javadoc: "the producer should abort the transaction"); KIP-890's
 *       transactions v2 bump the epoch at every commit and keep that contract. A real fencing arrives as
 *       {@link ProducerFencedException}.</li>
 * </ul>
 */
public final class TransactionalErrors {

    /** The producer call that failed. */
    public enum Call {
        INIT,
        BEGIN,
        SEND,
        COMMIT,
        ABORT
    }

    /** What to do about it. */
    public enum Action {
        /** Call the same method again (after a backoff). */
        RETRY_CALL,
        /** Abort the transaction and send its records again. */
        ABORT_AND_RETRY,
        /** Close the producer, make a new one for the same transactional id, send the records again. */
        REINITIALISE,
        /** Another instance took over: stop, never retry. */
        FENCED,
        /** Nothing can make this work: stop. */
        FATAL
    }

    /** Kafka's client wording for an EndTxn error it has no handling for (e.g. UNKNOWN_SERVER_ERROR). */
    public static final String COORDINATOR_FAILED_END_TXN = "Unhandled error in EndTxnResponse";

    private TransactionalErrors() {}

    public static Action classify(Call call, Throwable error) {
        return classify(call, error, false);
    }

    /**
     * @param outlivedTimeout the open transaction is older than its {@code transaction.timeout.ms}: the
     *                        coordinator may have aborted it and bumped the epoch, which then reads as a fencing
     */
    public static Action classify(Call call, Throwable error, boolean outlivedTimeout) {
        if (inChain(error, ProducerFencedException.class)) {
            return outlivedTimeout ? Action.REINITIALISE : Action.FENCED;
        }
        if (inChain(error, FencedInstanceIdException.class)) {
            return Action.FENCED;
        }
        if (!(error instanceof KafkaException) || isFatal(error)) {
            return Action.FATAL;
        }
        if (lostProducerState(error)) {
            return Action.REINITIALISE;
        }
        boolean timedOut = error instanceof TimeoutException;
        return switch (call) {
            case INIT -> timedOut || error instanceof RetriableException ? Action.RETRY_CALL : Action.FATAL;
            case BEGIN -> Action.FATAL;
            case ABORT -> timedOut ? Action.RETRY_CALL : Action.FATAL;
            case COMMIT -> timedOut ? Action.RETRY_CALL : Action.ABORT_AND_RETRY;
            case SEND -> Action.ABORT_AND_RETRY;
        };
    }

    /** {@code SimpleName: message} of the most specific exception in the chain (not a bare KafkaException). */
    public static String describe(Throwable error) {
        Throwable specific = error;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getClass() != KafkaException.class) {
                specific = t;
                break;
            }
        }
        return specific.getClass().getSimpleName() + ": " + specific.getMessage();
    }

    /** True when {@code error} or one of its causes is a {@code type}. */
    public static boolean inChain(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * True for Kafka 4.4's answers to a transactional call that raced another producer's {@code initTransactions}
     * for the same transactional id: {@link InvalidTxnStateException}, or an EndTxn failed with an unknown server
     * error (the coordinator throws "Preparing transaction state transition to ONGOING while it already a pending
     * state PREPARE_EPOCH_FENCE"). Both are also lost producer state (a commit that overtook its own records, a
     * coordinator failure), so only a caller that rules those out, like the recorder's committer that waits for
     * every acknowledgement before committing, may read them as a takeover.
     */
    public static boolean mayBeTakeoverRace(Throwable error) {
        return inChain(error, InvalidTxnStateException.class) || messageInChain(error, COORDINATOR_FAILED_END_TXN);
    }

    /** True when the message of {@code error} or one of its causes contains {@code text}. */
    public static boolean messageInChain(Throwable error, String text) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isFatal(Throwable error) {
        return inChain(error, InvalidConfigurationException.class)
                || inChain(error, UnsupportedForMessageFormatException.class)
                || inChain(error, IllegalStateException.class);
    }

    /** The producer cannot go on, but nobody else owns its transactional id: a new producer can. */
    private static boolean lostProducerState(Throwable error) {
        return inChain(error, InvalidTxnStateException.class)
                || inChain(error, InvalidPidMappingException.class)
                || inChain(error, OutOfOrderSequenceException.class)
                || messageInChain(error, COORDINATOR_FAILED_END_TXN);
    }
}
