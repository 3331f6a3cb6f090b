package dev.lsr.recorder.log.internal;

import static dev.lsr.kernel.TransactionalErrors.inChain;
import static dev.lsr.kernel.TransactionalErrors.messageInChain;

import dev.lsr.kernel.TransactionalErrors;
import dev.lsr.kernel.TransactionalErrors.Action;
import dev.lsr.recorder.log.RunLogFailure;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * What the run log tells the operator about an error its producer could not recover from. What an error
 * means (retry, abort, re-initialise, fenced, fatal) is decided in one place for the whole product,
 * {@link TransactionalErrors}; this class only words the outcome for a recorder that owns a partition.
 */
final class KafkaErrors {

    private KafkaErrors() {}

    /** The failure to report for a {@link Action#FENCED} or {@link Action#FATAL} error. */
    static RunLogFailure failure(Action action, PartitionId id, Throwable error) {
        if (action == Action.FENCED) {
            return new RunLogFailure(
                    RunLogFailure.Kind.FENCED,
                    id.partition(),
                    "fenced: another recorder took over " + id + " (transactional id " + id.transactionalId() + ")",
                    error);
        }
        return new RunLogFailure(
                RunLogFailure.Kind.FATAL,
                id.partition(),
                reason(error) + " on " + id + " (transactional id " + id.transactionalId() + "): "
                        + TransactionalErrors.describe(error),
                error);
    }

    /**
     * A commit the coordinator refused as in an invalid state or failed with an unknown server error, which (once
     * the records were acknowledged) is how Kafka 4.4 may answer a commit racing another recorder's takeover of
     * the transactional id: reported as a fencing, so that nobody re-initialises the producer and fences the new
     * owner back.
     */
    static RunLogFailure takenOver(PartitionId id, Throwable error) {
        return new RunLogFailure(
                RunLogFailure.Kind.FENCED,
                id.partition(),
                "fenced: another recorder most likely took over " + id + " (transactional id " + id.transactionalId()
                        + "): the coordinator refused this recorder's commit ("
                        + TransactionalErrors.describe(error) + ")",
                error);
    }

    /**
     * A fleet member's producer that lost its state: never re-initialised in place (a zombie would fence the new
     * owner back), the partition is given up and taken again only through the group.
     */
    static RunLogFailure givenUp(PartitionId id, Throwable error) {
        return new RunLogFailure(
                RunLogFailure.Kind.LOST,
                id.partition(),
                "lost: the producer of " + id + " cannot go on (" + TransactionalErrors.describe(error)
                        + "); a fleet member gives the partition up and takes it again only through the group",
                error);
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
        if (messageInChain(error, TransactionalErrors.COORDINATOR_FAILED_END_TXN)) {
            return "the transaction coordinator failed a commit with an unexpected server error";
        }
        if (inChain(error, InvalidTxnStateException.class)) {
            return "the transaction coordinator no longer accepts this producer's transaction (invalid state)";
        }
        return "unrecoverable producer error";
    }
}
