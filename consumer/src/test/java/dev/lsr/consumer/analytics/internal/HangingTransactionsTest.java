package dev.lsr.consumer.analytics.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Which open transactions of a partition may be aborted there: only those their coordinator no longer holds open. */
class HangingTransactionsTest {

    private static final TopicPartition SUMMARIES = new TopicPartition("letta.chunks.summaries", 0);
    // what CI's AnalyticsJobOutageIT failure showed: summaries-0 open since offset 13 for producer 1, epoch 2
    private static final ProducerState OPEN =
            new ProducerState(1, 2, 4, 1_796_390_230_794L, OptionalInt.of(0), OptionalLong.of(13));

    @Test
    void aTransactionItsCoordinatorAbortedHangs() {
        assertTrue(open(coordinator(TransactionState.COMPLETE_ABORT, 1)).isHanging());
    }

    @Test
    void aTransactionNoCoordinatorKnowsHangs() {
        assertTrue(new HangingTransactions.Open(OPEN, null).isHanging());
        assertTrue(open(coordinator(TransactionState.EMPTY, 1)).isHanging());
        assertTrue(open(coordinator(TransactionState.ONGOING, 7)).isHanging(), "the id moved to another producer");
    }

    @Test
    void aTransactionInProgressOrCommittedIsLeftAlone() {
        for (TransactionState state : new TransactionState[] {
            TransactionState.ONGOING,
            TransactionState.PREPARE_COMMIT,
            TransactionState.PREPARE_ABORT,
            TransactionState.COMPLETE_COMMIT,
            TransactionState.PREPARE_EPOCH_FENCE
        }) {
            assertFalse(open(coordinator(state, 1)).isHanging(), state.toString());
        }
    }

    private static HangingTransactions.Open open(TransactionDescription coordinator) {
        return new HangingTransactions.Open(OPEN, coordinator);
    }

    private static TransactionDescription coordinator(TransactionState state, long producerId) {
        return new TransactionDescription(0, state, producerId, 3, 60_000, OptionalLong.empty(), Set.of(SUMMARIES));
    }
}
