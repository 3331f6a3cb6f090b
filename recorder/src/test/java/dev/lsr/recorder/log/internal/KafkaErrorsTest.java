package dev.lsr.recorder.log.internal;

import static dev.lsr.recorder.log.internal.KafkaErrors.Action.ABORT_AND_RETRY;
import static dev.lsr.recorder.log.internal.KafkaErrors.Action.FATAL;
import static dev.lsr.recorder.log.internal.KafkaErrors.Action.FENCED;
import static dev.lsr.recorder.log.internal.KafkaErrors.Action.REINITIALISE;
import static dev.lsr.recorder.log.internal.KafkaErrors.Action.RETRY_CALL;
import static dev.lsr.recorder.log.internal.KafkaErrors.Call.ABORT;
import static dev.lsr.recorder.log.internal.KafkaErrors.Call.BEGIN;
import static dev.lsr.recorder.log.internal.KafkaErrors.Call.COMMIT;
import static dev.lsr.recorder.log.internal.KafkaErrors.Call.INIT;
import static dev.lsr.recorder.log.internal.KafkaErrors.Call.SEND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.recorder.log.RunLogFailure;
import java.util.Set;
import org.apache.kafka.common.KafkaException;
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

class KafkaErrorsTest {

    private static KafkaException errorState(Throwable cause) {
        return new KafkaException("Cannot execute transactional method because we are in an error state", cause);
    }

    @Test
    void fencingIsFencedWhereverItShowsUp() {
        ProducerFencedException fenced = new ProducerFencedException("newer producer");
        for (KafkaErrors.Call call : KafkaErrors.Call.values()) {
            assertEquals(FENCED, KafkaErrors.classify(call, fenced), call.name());
            assertEquals(FENCED, KafkaErrors.classify(call, errorState(fenced)), call.name());
        }
    }

    @Test
    void retriableAndAbortableErrorsAbortAndSendTheBatchAgain() {
        assertEquals(ABORT_AND_RETRY, KafkaErrors.classify(SEND, new TimeoutException("metadata")));
        assertEquals(ABORT_AND_RETRY, KafkaErrors.classify(COMMIT, errorState(new TimeoutException("delivery timeout"))));
        assertEquals(ABORT_AND_RETRY, KafkaErrors.classify(COMMIT, errorState(new NotEnoughReplicasException("isr"))));
        assertEquals(ABORT_AND_RETRY, KafkaErrors.classify(COMMIT, new TransactionAbortableException("abortable")));
        assertEquals(ABORT_AND_RETRY, KafkaErrors.classify(COMMIT, new InvalidProducerEpochException("timed out txn")));
        assertEquals(ABORT_AND_RETRY, KafkaErrors.classify(COMMIT, errorState(new KafkaException("unknown"))));
    }

    @Test
    void aTimedOutBlockingCallIsRetriedAsIs() {
        TimeoutException timeout = new TimeoutException("max.block.ms");
        assertEquals(RETRY_CALL, KafkaErrors.classify(COMMIT, timeout));
        assertEquals(RETRY_CALL, KafkaErrors.classify(ABORT, timeout));
        assertEquals(RETRY_CALL, KafkaErrors.classify(INIT, timeout));
    }

    @Test
    void configurationErrorsBugsAndFailedAbortsAreFatal() {
        assertEquals(FATAL, KafkaErrors.classify(COMMIT, new TopicAuthorizationException(Set.of("letta.chunks"))));
        assertEquals(FATAL, KafkaErrors.classify(INIT, new TransactionalIdAuthorizationException("txn id")));
        assertEquals(FATAL, KafkaErrors.classify(SEND, errorState(new SaslAuthenticationException("bad login"))));
        assertEquals(FATAL, KafkaErrors.classify(INIT, new UnsupportedVersionException("no transactions")));
        assertEquals(FATAL, KafkaErrors.classify(ABORT, new KafkaException("abort failed")));
        assertEquals(FATAL, KafkaErrors.classify(BEGIN, new KafkaException("not ready")));
        assertEquals(FATAL, KafkaErrors.classify(SEND, new IllegalStateException("producer closed")));
        assertEquals(FATAL, KafkaErrors.classify(COMMIT, new NullPointerException()));
    }

    @Test
    void theFailureMessageNamesThePartitionAndTheTransactionalId() {
        RunLogFailure fenced = KafkaErrors.failure(FENCED, new PartitionId("letta.chunks", 3),
                new ProducerFencedException("x"));
        assertEquals("fenced: another recorder took over partition 3 of letta.chunks"
                + " (transactional id lsr-recorder-letta.chunks-3)", fenced.message());

        RunLogFailure denied = KafkaErrors.failure(FATAL, new PartitionId("letta.chunks", 0),
                errorState(new TopicAuthorizationException(Set.of("letta.chunks"))));
        assertEquals("not authorized on partition 0 of letta.chunks (transactional id lsr-recorder-letta.chunks-0): "
                + "TopicAuthorizationException: Not authorized to access topics: [letta.chunks]", denied.message());
    }

    @Test
    void lostProducerStateThatIsNotAFencingReinitialisesTheProducer() {
        for (KafkaErrors.Call call : KafkaErrors.Call.values()) {
            assertEquals(REINITIALISE, KafkaErrors.classify(call, errorState(new InvalidTxnStateException("invalid"))), call.name());
            assertEquals(REINITIALISE, KafkaErrors.classify(call, new InvalidPidMappingException("expired id")), call.name());
            assertEquals(REINITIALISE, KafkaErrors.classify(call, errorState(new OutOfOrderSequenceException("lost"))), call.name());
        }
    }

    @Test
    void aFencingOfATransactionOlderThanItsTimeoutIsTheCoordinatorsAbortNotAnotherOwner() {
        ProducerFencedException fenced = new ProducerFencedException("epoch bumped");
        assertEquals(REINITIALISE, KafkaErrors.classify(COMMIT, errorState(fenced), true));
        assertEquals(REINITIALISE, KafkaErrors.classify(ABORT, fenced, true));
        assertEquals(FENCED, KafkaErrors.classify(COMMIT, errorState(fenced), false));
    }

    @Test
    void aCommitTheCoordinatorFailedWithAnUnknownErrorReinitialisesAndBlamesNoOtherRecorder() {
        KafkaException errorState = new KafkaException("Cannot execute transactional method because we are in an error state",
                new KafkaException("Unhandled error in EndTxnResponse: The server experienced an unexpected error when"
                        + " processing the request."));
        assertEquals(REINITIALISE, KafkaErrors.classify(ABORT, errorState));
        RunLogFailure failure = KafkaErrors.failure(FATAL, new PartitionId("letta.chunks", 1), errorState);
        assertEquals(RunLogFailure.Kind.FATAL, failure.kind());
        assertFalse(failure.message().contains("another recorder"), failure.message());
        assertTrue(failure.message().startsWith("the transaction coordinator failed a commit with an unexpected server"
                + " error on partition 1 of letta.chunks (transactional id lsr-recorder-letta.chunks-1)"), failure.message());
    }

    @Test
    void anInvalidTransactionStateReinitialisesAndBlamesNoOtherRecorder() {
        KafkaException errorState = errorState(new InvalidTxnStateException(
                "The producer attempted a transactional operation in an invalid state."));
        assertEquals(REINITIALISE, KafkaErrors.classify(ABORT, errorState));
        RunLogFailure failure = KafkaErrors.failure(FATAL, new PartitionId("letta.chunks", 2), errorState);
        assertFalse(failure.message().contains("another recorder"), failure.message());
        assertTrue(failure.message().contains("InvalidTxnStateException"), failure.message());
    }
}
