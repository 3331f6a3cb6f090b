package dev.lsr.recorder.log.internal;

import static dev.lsr.recorder.log.internal.Fixtures.chunk;
import static dev.lsr.recorder.log.internal.Fixtures.pending;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RunState;
import dev.lsr.recorder.log.PartitionLostException;
import dev.lsr.recorder.log.RunLogClosedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PendingQueueTest {

    private static final Duration LONG_WINDOW = Duration.ofHours(1);
    private static final Duration GENEROUS = Duration.ofSeconds(30);

    @Test
    void releasesAFullBatchWithoutWaitingForTheWindow() {
        PendingQueue queue = queue(LONG_WINDOW, 3, 1 << 20);
        for (int seq = 1; seq <= 4; seq++) {
            queue.add(pending(chunk("run-a", seq), RunState.ACTIVE));
        }

        List<Pending> batch = assertTimeoutPreemptively(GENEROUS, () -> takeBatch(queue));

        assertEquals(3, batch.size());
        assertEquals(1, batch.getFirst().record().position().seq());
    }

    @Test
    void boundsABatchByBytesButAlwaysTakesOneRecord() throws Exception {
        Pending one = pending(chunk("run-a", 1), RunState.ACTIVE);
        PendingQueue queue = queue(Duration.ofMillis(1), 100, one.sizeBytes() + 1);
        queue.add(one);
        queue.add(pending(chunk("run-a", 2), RunState.ACTIVE));

        assertEquals(1, takeBatch(queue).size());
        assertEquals(1, takeBatch(queue).size());
    }

    @Test
    void namesTheRunsWhoseRecordsItDroppedUncommitted() throws Exception {
        PendingQueue queue = queue(LONG_WINDOW, 1, 1 << 20);
        queue.add(pending(chunk("run-in-flight", 1), RunState.ACTIVE));
        queue.add(pending(chunk("run-queued", 1), RunState.ACTIVE));
        queue.add(pending(chunk("run-abandoned", 1), RunState.ACTIVE));
        List<Pending> inFlight = takeBatch(queue);
        List<Pending> committed = takeBatch(queue);
        queue.markCommitted(committed.size());

        queue.dropped(inFlight);
        queue.abandon();

        assertEquals(java.util.Set.of("run-in-flight", "run-abandoned"), queue.droppedRuns());
    }

    @Test
    void anAbandonNamesTheRunsOfTheBatchInFlightToo() throws Exception {
        PendingQueue queue = queue(LONG_WINDOW, 1, 1 << 20);
        queue.add(pending(chunk("run-in-flight", 1), RunState.ACTIVE));
        queue.add(pending(chunk("run-queued", 1), RunState.ACTIVE));
        takeBatch(queue);

        // the committer is still in its transaction: it has not reported the batch failed or committed
        queue.abandon();

        assertEquals(java.util.Set.of("run-in-flight", "run-queued"), queue.droppedRuns());
    }

    @Test
    void releasesABatchAfterTheCommitWindowWithoutAFlush() {
        PendingQueue queue = queue(Duration.ofMillis(10), 100, 1 << 20);
        queue.add(pending(chunk("run-a", 1), RunState.ACTIVE));

        assertEquals(
                1, assertTimeoutPreemptively(GENEROUS, () -> takeBatch(queue)).size());
    }

    @Test
    void aFlushReleasesTheBatchAndReturnsOnceItIsCommitted() throws Exception {
        PendingQueue queue = queue(LONG_WINDOW, 100, 1 << 20);
        queue.add(pending(chunk("run-a", 1), RunState.ACTIVE));
        queue.add(pending(chunk("run-a", 2), RunState.ACTIVE));
        CompletableFuture<Void> flush = CompletableFuture.runAsync(queue::awaitCommitted);

        List<Pending> batch = assertTimeoutPreemptively(GENEROUS, () -> takeBatch(queue));
        assertEquals(2, batch.size());
        assertTrue(!flush.isDone(), "flush returns only after the commit");
        queue.markCommitted(batch.size());

        assertTimeoutPreemptively(GENEROUS, () -> flush.get());
        assertEquals(0, queue.uncommitted());
    }

    @Test
    void afterCloseItDrainsThenEndsAndRefusesRecords() throws Exception {
        PendingQueue queue = queue(LONG_WINDOW, 100, 1 << 20);
        queue.add(pending(chunk("run-a", 1), RunState.ACTIVE));
        queue.close();

        assertEquals(1, takeBatch(queue).size());
        assertEquals(List.of(), takeBatch(queue));
        assertThrows(RunLogClosedException.class, () -> queue.add(pending(chunk("run-a", 2), RunState.ACTIVE)));
    }

    @Test
    void aStopFailsWaitingFlushesWithTheReason() {
        PendingQueue queue = queue(LONG_WINDOW, 100, 1 << 20);
        queue.add(pending(chunk("run-a", 1), RunState.ACTIVE));
        CompletableFuture<Void> flush = CompletableFuture.runAsync(queue::awaitCommitted);

        queue.stop(new RunLogClosedException("fenced: another recorder took over partition 3 of letta.chunks"));

        var failure = assertThrows(
                java.util.concurrent.ExecutionException.class,
                () -> flush.get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(
                "fenced: another recorder took over partition 3 of letta.chunks",
                failure.getCause().getMessage());
        assertThrows(RunLogClosedException.class, () -> queue.add(pending(chunk("run-a", 2), RunState.ACTIVE)));
    }

    @Test
    void anAppendWaitsForThePartitionsBudgetAndACloseWakesItWithTheReason() throws Exception {
        Pending first = pending(chunk("run-a", 1), RunState.ACTIVE);
        ByteBudget budget = new ByteBudget(first.sizeBytes());
        PendingQueue queue = new PendingQueue(LONG_WINDOW, 100, 1 << 20, budget);
        queue.add(first);
        CompletableFuture<Void> blocked =
                CompletableFuture.runAsync(() -> queue.add(pending(chunk("run-a", 2), RunState.ACTIVE)));

        queue.close();

        var refused = assertThrows(
                java.util.concurrent.ExecutionException.class,
                () -> blocked.get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals("run log is closed", refused.getCause().getMessage());
        assertEquals(first.sizeBytes(), budget.usedBytes(), "only the queued record holds budget");
    }

    @Test
    void refusingAppendsWakesABlockedAppendWithTheReasonAndLeavesTheQueuedRecordsToTheCommitter() throws Exception {
        Pending first = pending(chunk("run-a", 1), RunState.ACTIVE);
        PendingQueue queue = new PendingQueue(Duration.ofMillis(1), 100, 1 << 20, new ByteBudget(first.sizeBytes()));
        queue.add(first);
        CompletableFuture<Void> blocked =
                CompletableFuture.runAsync(() -> queue.add(pending(chunk("run-a", 2), RunState.ACTIVE)));

        queue.refuseAppends(
                new RunLogClosedException("fenced: another recorder took over partition 1 of letta.chunks"));

        var refused = assertThrows(
                java.util.concurrent.ExecutionException.class,
                () -> blocked.get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(
                "fenced: another recorder took over partition 1 of letta.chunks",
                refused.getCause().getMessage());
        assertEquals(
                1,
                assertTimeoutPreemptively(GENEROUS, () -> takeBatch(queue)).size(),
                "the queued record still commits");
    }

    @Test
    void anAbandonedQueueEndsPausesAtOnce() throws Exception {
        PendingQueue queue = queue(LONG_WINDOW, 100, 1 << 20);
        queue.abandon();

        assertEquals(false, assertTimeoutPreemptively(GENEROUS, () -> queue.pause(Duration.ofHours(1))));
        assertEquals(List.of(), takeBatch(queue));
    }

    @Test
    void tombstoneRequestsGoAloneWhenNothingIsQueuedWithTheNextBatchOtherwiseAndNotAfterAGiveUp() throws Exception {
        PendingQueue queue = queue(LONG_WINDOW, 3, 1 << 20);
        Checkpoint ended = Checkpoint.of("run-done", Position.ofSeq(1), RunState.FINISHED, null, null, Fixtures.T0);

        queue.requestTombstones(List.of(ended));
        PendingQueue.Work alone = assertTimeoutPreemptively(GENEROUS, queue::takeWork);
        assertEquals(new PendingQueue.Work(List.of(), List.of(ended)), alone);

        for (int seq = 1; seq <= 3; seq++) {
            queue.add(pending(chunk("run-a", seq), RunState.ACTIVE));
        }
        queue.requestTombstones(List.of(ended));
        PendingQueue.Work with = assertTimeoutPreemptively(GENEROUS, queue::takeWork);
        assertEquals(3, with.items().size());
        assertEquals(List.of(ended), with.tombstones());

        queue.requestTombstones(List.of(ended));
        queue.handOver(new PartitionLostException("partition 3 moved to another fleet member"));
        assertNull(queue.takeWork(), "a partition given up writes no tombstone: its next owner selects again");
    }

    private static PendingQueue queue(Duration window, int maxBatchRecords, long maxBatchBytes) {
        return new PendingQueue(window, maxBatchRecords, maxBatchBytes, new ByteBudget(1 << 20));
    }

    /**
     * The next batch of records, as the committer's {@link PendingQueue#takeWork} hands it, skipping work of tombstones
     * alone; empty once the queue is closed and drained, stopped or abandoned.
     */
    private static List<Pending> takeBatch(PendingQueue queue) throws InterruptedException {
        while (true) {
            PendingQueue.Work work = queue.takeWork();
            if (work == null) {
                return List.of();
            }
            if (!work.items().isEmpty()) {
                return work.items();
            }
        }
    }
}
