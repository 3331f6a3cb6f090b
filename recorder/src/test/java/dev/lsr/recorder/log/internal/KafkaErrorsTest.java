package dev.lsr.recorder.log.internal;

import static dev.lsr.kernel.TransactionalErrors.Action.FATAL;
import static dev.lsr.kernel.TransactionalErrors.Action.FENCED;
import static dev.lsr.kernel.TransactionalErrors.Action.REINITIALISE;
import static dev.lsr.kernel.TransactionalErrors.Call.ABORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.kernel.TransactionalErrors;
import dev.lsr.recorder.log.RunLogFailure;
import java.util.Set;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** The run log's words for a failure; what an error means is tested in the kernel (TransactionalErrorsTest). */
class KafkaErrorsTest {

    private static KafkaException errorState(Throwable cause) {
        return new KafkaException("Cannot execute transactional method because we are in an error state", cause);
    }

    @Test
    void theFailureMessageNamesThePartitionAndTheTransactionalId() {
        RunLogFailure fenced =
                KafkaErrors.failure(FENCED, new PartitionId("letta.chunks", 3), new ProducerFencedException("x"));
        assertEquals(
                "fenced: another recorder took over partition 3 of letta.chunks"
                        + " (transactional id lsr-recorder-letta.chunks-3)",
                fenced.message());

        RunLogFailure denied = KafkaErrors.failure(
                FATAL,
                new PartitionId("letta.chunks", 0),
                errorState(new TopicAuthorizationException(Set.of("letta.chunks"))));
        assertEquals(
                "not authorized on partition 0 of letta.chunks (transactional id lsr-recorder-letta.chunks-0): "
                        + "TopicAuthorizationException: Not authorized to access topics: [letta.chunks]",
                denied.message());
    }

    @Test
    void aCommitTheCoordinatorFailedWithAnUnknownErrorReinitialisesAndBlamesNoOtherRecorder() {
        KafkaException errorState = new KafkaException(
                "Cannot execute transactional method because we are in an error state",
                new KafkaException("Unhandled error in EndTxnResponse: The server experienced an unexpected error when"
                        + " processing the request."));
        assertEquals(REINITIALISE, TransactionalErrors.classify(ABORT, errorState));
        RunLogFailure failure = KafkaErrors.failure(FATAL, new PartitionId("letta.chunks", 1), errorState);
        assertEquals(RunLogFailure.Kind.FATAL, failure.kind());
        assertFalse(failure.message().contains("another recorder"), failure.message());
        assertTrue(
                failure.message()
                        .startsWith(
                                "the transaction coordinator failed a commit with an unexpected server"
                                        + " error on partition 1 of letta.chunks (transactional id lsr-recorder-letta.chunks-1)"),
                failure.message());
    }

    @Test
    void anInvalidTransactionStateReinitialisesAndBlamesNoOtherRecorder() {
        KafkaException errorState = errorState(
                new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state."));
        assertEquals(REINITIALISE, TransactionalErrors.classify(ABORT, errorState));
        RunLogFailure failure = KafkaErrors.failure(FATAL, new PartitionId("letta.chunks", 2), errorState);
        assertFalse(failure.message().contains("another recorder"), failure.message());
        assertTrue(failure.message().contains("InvalidTxnStateException"), failure.message());
    }
}
