package dev.lsr.kernel;

import static dev.lsr.kernel.TransactionalErrors.Action.ABORT_AND_RETRY;
import static dev.lsr.kernel.TransactionalErrors.Action.FATAL;
import static dev.lsr.kernel.TransactionalErrors.Action.FENCED;
import static dev.lsr.kernel.TransactionalErrors.Action.REINITIALISE;
import static dev.lsr.kernel.TransactionalErrors.Action.RETRY_CALL;
import static dev.lsr.kernel.TransactionalErrors.Call.ABORT;
import static dev.lsr.kernel.TransactionalErrors.Call.BEGIN;
import static dev.lsr.kernel.TransactionalErrors.Call.COMMIT;
import static dev.lsr.kernel.TransactionalErrors.Call.INIT;
import static dev.lsr.kernel.TransactionalErrors.Call.SEND;
import static dev.lsr.kernel.TransactionalErrors.classify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.kernel.TransactionalErrors.Call;
import java.util.Set;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.Test;

/** The classifier's table, for the recorder's transaction driver and the analytics job alike. */
class TransactionalErrorsTest {

    private static KafkaException errorState(Throwable cause) {
        return new KafkaException("Cannot execute transactional method because we are in an error state", cause);
    }

    @Test
    void fencingIsFencedWhereverItShowsUp() {
        ProducerFencedException fenced = new ProducerFencedException("newer producer");
        FencedInstanceIdException instance = new FencedInstanceIdException("same group.instance.id");
        for (Call call : Call.values()) {
            assertEquals(FENCED, classify(call, fenced), call.name());
            assertEquals(FENCED, classify(call, errorState(fenced)), call.name());
            assertEquals(FENCED, classify(call, instance), call.name());
        }
    }

    @Test
    void retriableAndAbortableErrorsAbortAndSendTheBatchAgain() {
        assertEquals(ABORT_AND_RETRY, classify(SEND, new TimeoutException("metadata")));
        assertEquals(ABORT_AND_RETRY, classify(COMMIT, errorState(new TimeoutException("delivery timeout"))));
        assertEquals(ABORT_AND_RETRY, classify(COMMIT, errorState(new NotEnoughReplicasException("isr"))));
        assertEquals(ABORT_AND_RETRY, classify(COMMIT, new TransactionAbortableException("abortable")));
        assertEquals(ABORT_AND_RETRY, classify(COMMIT, errorState(new KafkaException("unknown"))));
    }

    /** KIP-588/KIP-890: the coordinator's answer to a transaction it timed out; abortable, not a fencing. */
    @Test
    void anInvalidProducerEpochIsAbortableNotFatal() {
        InvalidProducerEpochException epoch =
                new InvalidProducerEpochException("Producer attempted to produce with" + " an old epoch");
        assertEquals(ABORT_AND_RETRY, classify(SEND, epoch));
        assertEquals(ABORT_AND_RETRY, classify(COMMIT, epoch));
        assertEquals(ABORT_AND_RETRY, classify(SEND, errorState(epoch)));
        assertEquals(ABORT_AND_RETRY, classify(COMMIT, errorState(epoch)));
    }

    @Test
    void aTimedOutBlockingCallIsRetriedAsIs() {
        TimeoutException timeout = new TimeoutException("max.block.ms");
        assertEquals(RETRY_CALL, classify(COMMIT, timeout));
        assertEquals(RETRY_CALL, classify(ABORT, timeout));
        assertEquals(RETRY_CALL, classify(INIT, timeout));
        assertEquals(RETRY_CALL, classify(INIT, new CoordinatorNotAvailableException("not yet")));
    }

    @Test
    void configurationErrorsBugsAndFailedAbortsAreFatal() {
        assertEquals(FATAL, classify(COMMIT, new TopicAuthorizationException(Set.of("letta.chunks"))));
        assertEquals(FATAL, classify(INIT, new TransactionalIdAuthorizationException("txn id")));
        assertEquals(FATAL, classify(SEND, errorState(new SaslAuthenticationException("bad login"))));
        assertEquals(FATAL, classify(INIT, new UnsupportedVersionException("no transactions")));
        assertEquals(FATAL, classify(ABORT, new KafkaException("abort failed")));
        assertEquals(FATAL, classify(BEGIN, new KafkaException("not ready")));
        assertEquals(FATAL, classify(SEND, new IllegalStateException("producer closed")));
        assertEquals(FATAL, classify(COMMIT, new NullPointerException()));
    }

    @Test
    void lostProducerStateThatIsNotAFencingReinitialisesTheProducer() {
        for (Call call : Call.values()) {
            assertEquals(
                    REINITIALISE, classify(call, errorState(new InvalidTxnStateException("invalid"))), call.name());
            assertEquals(REINITIALISE, classify(call, new InvalidPidMappingException("expired id")), call.name());
            assertEquals(
                    REINITIALISE, classify(call, errorState(new OutOfOrderSequenceException("lost"))), call.name());
            assertEquals(
                    REINITIALISE,
                    classify(
                            call,
                            errorState(new KafkaException(
                                    TransactionalErrors.COORDINATOR_FAILED_END_TXN + ": unknown server error"))),
                    call.name());
        }
    }

    @Test
    void onlyTheAnswersKafkaGivesACallRacingATakeoverMayBeATakeoverRace() {
        assertTrue(TransactionalErrors.mayBeTakeoverRace(errorState(new InvalidTxnStateException("invalid"))));
        assertTrue(TransactionalErrors.mayBeTakeoverRace(errorState(
                new KafkaException(TransactionalErrors.COORDINATOR_FAILED_END_TXN + ": unknown server error"))));
        assertFalse(TransactionalErrors.mayBeTakeoverRace(new InvalidPidMappingException("expired id")));
        assertFalse(TransactionalErrors.mayBeTakeoverRace(new OutOfOrderSequenceException("lost")));
        assertFalse(TransactionalErrors.mayBeTakeoverRace(new KafkaException("something else")));
    }

    @Test
    void aFencingOfATransactionOlderThanItsTimeoutIsTheCoordinatorsAbortNotAnotherOwner() {
        ProducerFencedException fenced = new ProducerFencedException("epoch bumped");
        assertEquals(REINITIALISE, classify(COMMIT, errorState(fenced), true));
        assertEquals(REINITIALISE, classify(ABORT, fenced, true));
        assertEquals(FENCED, classify(COMMIT, errorState(fenced), false));
    }

    @Test
    void describeNamesTheMostSpecificException() {
        assertEquals("TimeoutException: slow", TransactionalErrors.describe(errorState(new TimeoutException("slow"))));
        assertEquals("KafkaException: plain", TransactionalErrors.describe(new KafkaException("plain")));
    }
}
