package dev.lsr.recorder.log.internal;

import dev.lsr.recorder.log.RunLogFailure;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedForMessageFormatException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * The one place that decides what an error of a transactional producer means (Kafka's KIP-1050
 * categories, applied to a recorder that owns a partition):
 * <ul>
 *   <li>{@link ProducerFencedException} anywhere in the cause chain, in a transaction younger than its
 *       {@code transaction.timeout.ms}: another producer with the same transactional id started, i.e.
 *       another recorder owns the partition now. Fatal, never retried (re-initialising would steal the
 *       partition back).</li>
 *   <li>Configuration-class errors (authorization, authentication, unsupported version), non-Kafka
 *       exceptions, a broken client invariant ({@link IllegalStateException}) and any failure of
 *       {@code beginTransaction}/{@code abortTransaction} not listed below: fatal.</li>
 *   <li>Lost producer state that is not a fencing: {@link InvalidTxnStateException} (a commit that overtook
 *       its own records, or a transaction the coordinator aborted for its timeout),
 *       {@link InvalidPidMappingException} (the transactional id expired after a long idle time),
 *       {@link OutOfOrderSequenceException}, a coordinator that failed an EndTxn with an unknown server
 *       error, and a {@link ProducerFencedException} of a transaction older than its timeout (the coordinator
 *       bumped the epoch when it aborted it): the same owner re-initialises its producer and sends the
 *       batch again.</li>
 *   <li>A {@link TimeoutException} thrown by {@code initTransactions}, {@code commitTransaction} or
 *       {@code abortTransaction} itself: the call must be retried as is (Kafka forbids another
 *       operation after a timed-out commit: it may still complete).</li>
 *   <li>Everything else during send or commit (retriable errors, {@code TransactionAbortableException},
 *       {@code InvalidProducerEpochException}, whose Javadoc says to abort, a record Kafka refused):
 *       abort the transaction and send the same batch again.</li>
 * </ul>
 */
final class KafkaErrors {

    /** The producer call that failed. */
    enum Call { INIT, BEGIN, SEND, COMMIT, ABORT }

    /** What to do about it. */
    enum Action { RETRY_CALL, ABORT_AND_RETRY, REINITIALISE, FENCED, FATAL }

    private KafkaErrors() {
    }

    static Action classify(Call call, Throwable error) {
        return classify(call, error, false);
    }

    /**
     * @param outlivedTimeout the open transaction is older than its {@code transaction.timeout.ms}: the
     *                        coordinator may have aborted it and bumped the epoch, which then reads as a fencing
     */
    static Action classify(Call call, Throwable error, boolean outlivedTimeout) {
        if (inChain(error, ProducerFencedException.class)) {
            return outlivedTimeout ? Action.REINITIALISE : Action.FENCED;
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

    /** The failure to report for a {@link Action#FENCED} or {@link Action#FATAL} error. */
    static RunLogFailure failure(Action action, PartitionId id, Throwable error) {
        if (action == Action.FENCED) {
            return new RunLogFailure(RunLogFailure.Kind.FENCED, id.partition(), "fenced: another recorder took over "
                    + id + " (transactional id " + id.transactionalId() + ")", error);
        }
        return new RunLogFailure(RunLogFailure.Kind.FATAL, id.partition(), reason(error) + " on " + id
                + " (transactional id " + id.transactionalId() + "): " + describe(error), error);
    }

    /** {@code SimpleName: message} of the most specific Kafka exception in the chain. */
    static String describe(Throwable error) {
        Throwable specific = error;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getClass() != KafkaException.class) {
                specific = t;
                break;
            }
        }
        return specific.getClass().getSimpleName() + ": " + specific.getMessage();
    }

    private static String reason(Throwable error) {
        if (inChain(error, AuthorizationException.class)) {
            return "not authorized";
        }
        if (inChain(error, AuthenticationException.class)) {
            return "authentication failed";
        }
        if (inChain(error, UnsupportedVersionException.class)) {
            return "the broker does not support what the recorder needs";
        }
        if (messageInChain(error, COORDINATOR_FAILED_END_TXN)) {
            return "the transaction coordinator failed a commit with an unexpected server error";
        }
        if (inChain(error, InvalidTxnStateException.class)) {
            return "the transaction coordinator no longer accepts this producer's transaction (invalid state)";
        }
        return "unrecoverable producer error";
    }

    /** Kafka's client wording for an EndTxn error it has no handling for (e.g. UNKNOWN_SERVER_ERROR). */
    static final String COORDINATOR_FAILED_END_TXN = "Unhandled error in EndTxnResponse";

    private static boolean messageInChain(Throwable error, String text) {
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

    private static boolean inChain(Throwable error, Class<? extends Throwable> type) {
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
}
