package dev.lsr.recorder.log.internal;

import static dev.lsr.recorder.log.internal.Fixtures.P3;
import static dev.lsr.recorder.log.internal.Fixtures.T0;
import static dev.lsr.recorder.log.internal.Fixtures.chunk;
import static dev.lsr.recorder.log.internal.Fixtures.finished;
import static dev.lsr.recorder.log.internal.Fixtures.pending;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RunState;
import dev.lsr.kernel.Backoff;
import dev.lsr.recorder.log.PartitionStoppedException;
import dev.lsr.recorder.log.RunLogClosedException;
import dev.lsr.recorder.log.RunLogFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PartitionCommitterTest {

    private final ScriptedProducer producer = new ScriptedProducer();
    private final ByteBudget budget = new ByteBudget(1 << 20);
    private final PendingQueue queue = new PendingQueue(Duration.ofHours(1), 100, 1 << 20, budget);
    private final CheckpointStore store = new CheckpointStore();
    private final RecordingListener listener = new RecordingListener();
    private final List<RunLogFailure> failures = new CopyOnWriteArrayList<>();
    private Thread thread;

    private void startCommitter() {
        producer.initTransactions();
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        TransactionDriver driver = new TransactionDriver(
                producer,
                P3,
                new OversizeGuard(1 << 20),
                queue,
                listener,
                clock,
                Backoff.doubling(Duration.ofMillis(1), Duration.ofMillis(4)));
        thread = Thread.ofVirtual()
                .start(new PartitionCommitter(
                        P3, queue, driver, store, budget, listener, clock, failures::add, false, Duration.ofHours(3)));
    }

    @AfterEach
    void stop() throws InterruptedException {
        queue.abandon();
        assertTrue(thread.join(Duration.ofSeconds(30)), "committer ends");
        producer.assertExhausted();
    }

    @Test
    void aFlushReturnsOnceTheRecordsAndTheirCheckpointsAreCommitted() {
        startCommitter();
        append(pending(chunk("run-a", 1), RunState.ACTIVE));
        append(pending(chunk("run-b", 1), RunState.ACTIVE));
        append(pending(chunk("run-a", 2), RunState.ACTIVE));
        append(pending(finished("run-b", Position.ofSeq(1)), RunState.FINISHED));

        queue.awaitCommitted();

        assertEquals(Position.ofSeq(2), store.get("run-a").lastPosition());
        assertEquals(RunState.FINISHED, store.get("run-b").state());
        assertEquals(List.of("run-a"), List.copyOf(store.active().keySet()));
        assertEquals(0, budget.usedBytes(), "committed bytes are released");
        assertEquals(4, listener.commits.stream().mapToInt(c -> c.records()).sum());
        assertEquals(1, producer.commitCount(), "one transaction for the whole flush");
    }

    @Test
    void aFatalErrorStopsThePartitionAndFailsWaitingFlushesWithTheReason() {
        producer.failCommit(new ProducerFencedException("newer producer"));
        startCommitter();
        append(pending(chunk("run-a", 1), RunState.ACTIVE));

        RunLogClosedException e = assertThrows(RunLogClosedException.class, queue::awaitCommitted);

        assertEquals(
                "fenced: another recorder took over partition 3 of letta.chunks"
                        + " (transactional id lsr-recorder-letta.chunks-3)",
                e.getMessage());
        assertEquals(1, failures.size());
        assertEquals(RunLogFailure.Kind.FENCED, failures.getFirst().kind());
        assertEquals(null, store.get("run-a"), "nothing uncommitted reaches the checkpoints");
    }

    @Test
    void anyOtherUnrecoverableErrorStopsThisPartitionAloneAndGivesItsBytesBack() {
        producer.failCommit(new TopicAuthorizationException(Set.of("letta.chunks")));
        startCommitter();
        append(pending(chunk("run-a", 1), RunState.ACTIVE));

        PartitionStoppedException e = assertThrows(PartitionStoppedException.class, queue::awaitCommitted);

        assertTrue(e.getMessage().startsWith("not authorized on partition 3 of letta.chunks"), e.getMessage());
        assertEquals(
                List.of(RunLogFailure.Kind.FATAL),
                failures.stream().map(RunLogFailure::kind).toList());
        assertThrows(PartitionStoppedException.class, () -> queue.add(pending(chunk("run-a", 2), RunState.ACTIVE)));
        assertEquals(0, budget.usedBytes(), "a stopped partition holds none of the shared budget");
    }

    /**
     * An {@link Error} in the committer (a stack overflow, an out-of-memory) stops the partition like a fatal error:
     * reported, its appends and flushes fail. It used to end the thread with nothing reported, and appends blocked
     * for good once the partition's budget was full.
     */
    @Test
    void anErrorInTheCommitterStopsThePartitionAndIsReported() {
        producer.failCommitWithError(new StackOverflowError("deep"));
        startCommitter();
        append(pending(chunk("run-a", 1), RunState.ACTIVE));

        PartitionStoppedException e = assertTimeoutPreemptively(
                Duration.ofSeconds(10), () -> assertThrows(PartitionStoppedException.class, queue::awaitCommitted));

        assertTrue(e.getMessage().contains("StackOverflowError"), e.getMessage());
        assertEquals(
                List.of(RunLogFailure.Kind.FATAL),
                failures.stream().map(RunLogFailure::kind).toList());
        assertThrows(PartitionStoppedException.class, () -> queue.add(pending(chunk("run-a", 2), RunState.ACTIVE)));
        assertEquals(0, budget.usedBytes());
    }

    private static final Checkpoint ENDED =
            Checkpoint.of("run-done", Position.ofSeq(1), RunState.FINISHED, null, null, T0.minus(Duration.ofHours(5)));

    /**
     * Requested tombstones go in a transaction of their own when nothing is queued, only for runs whose committed
     * checkpoint is still the one selected, and leave the store once committed.
     */
    @Test
    void requestedTombstonesCommitAloneOnlyForCheckpointsUnchangedSinceTheirSelection() {
        Checkpoint selected = Checkpoint.of(
                "run-again", Position.ofSeq(2), RunState.FINISHED, null, null, T0.minus(Duration.ofHours(5)));
        Checkpoint attachedAgain = Checkpoint.of("run-again", Position.ofSeq(3), RunState.ACTIVE, null, null, T0);
        store.putAll(List.of(ENDED, attachedAgain));
        startCommitter();

        queue.requestTombstones(List.of(ENDED, selected));

        awaitTrue(() -> store.get("run-done") == null);
        assertEquals(attachedAgain, store.get("run-again"), "changed since the selection: kept");
        assertEquals(
                List.of("run-done"),
                producer.history().stream()
                        .filter(r -> r.value() == null)
                        .map(r -> new String(r.key(), UTF_8))
                        .toList());
        assertEquals(1, producer.commitCount());
        assertEquals(List.of(), listener.commits, "no records, no commit stats");
    }

    @Test
    void theTombstonesOfATransactionThatFailedLeaveNothingOfTheStore() {
        producer.failCommit(new TopicAuthorizationException(Set.of("letta.chunks")));
        store.putAll(List.of(ENDED));
        startCommitter();

        queue.requestTombstones(List.of(ENDED));

        awaitTrue(() -> failures.size() == 1);
        assertEquals(ENDED, store.get("run-done"), "the next round selects it again");
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            while (!condition.getAsBoolean()) {
                Thread.sleep(10);
            }
        });
    }

    private void append(Pending pending) {
        queue.add(pending);
    }
}
