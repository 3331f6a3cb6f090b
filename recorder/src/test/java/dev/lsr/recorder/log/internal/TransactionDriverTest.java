package dev.lsr.recorder.log.internal;

import static dev.lsr.recorder.log.internal.Fixtures.P3;
import static dev.lsr.recorder.log.internal.Fixtures.T0;
import static dev.lsr.recorder.log.internal.Fixtures.chunk;
import static dev.lsr.recorder.log.internal.Fixtures.pending;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.ChunkLogFormat;
import dev.lsr.chunklog.EnvelopeHeaders;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.RunState;
import dev.lsr.kernel.Backoff;
import dev.lsr.recorder.log.RunLogFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransactionDriverTest {

    private final ScriptedProducer producer = new ScriptedProducer();
    private final PendingQueue queue = new PendingQueue(Duration.ofMillis(5), 100, 1 << 20, new ByteBudget(1 << 20));
    private final RecordingListener listener = new RecordingListener();
    private final TransactionDriver driver = new TransactionDriver(
            producer,
            P3,
            new OversizeGuard(1 << 20),
            queue,
            listener,
            Clock.fixed(T0, ZoneOffset.UTC),
            Backoff.doubling(Duration.ofMillis(1), Duration.ofMillis(4)));

    @BeforeEach
    void initTransactions() {
        producer.initTransactions();
    }

    private static final boolean REINITIALISE_IN_PLACE = true;
    private static final boolean GIVE_UP = false;

    /** A driver whose producer is replaced by {@code replacement} when re-initialised, timeout 2 min. */
    private TransactionDriver replacing(ScriptedProducer replacement, boolean reinitialiseInPlace) {
        return replacing(
                replacement,
                Backoff.doubling(Duration.ofMillis(1), Duration.ofMillis(4)),
                Duration.ofMinutes(2),
                reinitialiseInPlace);
    }

    private TransactionDriver replacing(
            ScriptedProducer replacement, Backoff backoff, Duration transactionTimeout, boolean reinitialiseInPlace) {
        return replacing(replacement, backoff, transactionTimeout, reinitialiseInPlace, PartitionTail.NONE);
    }

    private TransactionDriver replacing(
            ScriptedProducer replacement,
            Backoff backoff,
            Duration transactionTimeout,
            boolean reinitialiseInPlace,
            PartitionTail tail) {
        return new TransactionDriver(
                new PartitionProducer(P3, producer, id -> replacement),
                P3,
                new OversizeGuard(1 << 20),
                queue,
                listener,
                Clock.fixed(T0, ZoneOffset.UTC),
                backoff,
                transactionTimeout,
                reinitialiseInPlace,
                tail,
                0);
    }

    @AfterEach
    void everyScriptedFailureHappened() {
        producer.assertExhausted();
    }

    @Test
    void commitsTheRecordsAndOneCheckpointPerRunInOneTransaction() throws Exception {
        Batch batch = batch(chunk("run-a", 1), chunk("run-b", 1), chunk("run-a", 2));

        TransactionDriver.Result result = driver.commit(batch);

        assertEquals(1, result.attempts());
        assertEquals(1, producer.commitCount());
        assertEquals(List.of("run-a/1", "run-b/1", "run-a/2"), chunkIds());
        assertEquals(Set.of("run-a@2", "run-b@1"), Set.copyOf(checkpoints()));
        assertTrue(producer.history().stream().allMatch(r -> r.partition() == 3), "explicit partition");
    }

    @Test
    void abortsAndSendsTheSameBatchAgainAfterARetriableSendError() throws Exception {
        producer.refuse(r -> r.topic().equals("letta.chunks"), new TimeoutException("expired"), 1);

        TransactionDriver.Result result = driver.commit(batch(chunk("run-a", 1), chunk("run-a", 2)));

        assertEquals(2, result.attempts());
        assertEquals(1, producer.aborts());
        assertEquals(List.of("run-a/1", "run-a/2"), chunkIds(), "each record committed exactly once");
        assertEquals(List.of("run-a@2"), checkpoints());
        assertEquals(1, listener.aborted.get());
        assertEquals(1, listener.outagesStarted.get());
        assertEquals(1, listener.outagesEnded.get());
    }

    @Test
    void abortsAndRetriesOnAnInvalidProducerEpochAsItsJavadocSays() throws Exception {
        producer.failCommit(new InvalidProducerEpochException("epoch bumped after a transaction timeout"));

        driver.commit(batch(chunk("run-a", 1)));

        assertEquals(1, producer.aborts());
        assertEquals(2, producer.begins());
        assertEquals(List.of("run-a/1"), chunkIds());
    }

    @Test
    void retriesATimedOutCommitAsIsWithoutAbortingOrSendingAgain() throws Exception {
        producer.failCommit(new TimeoutException("commit took longer than max.block.ms"));

        driver.commit(batch(chunk("run-a", 1)));

        assertEquals(2, producer.commitCalls());
        assertEquals(1, producer.begins());
        assertEquals(0, producer.aborts());
        assertEquals(List.of("run-a/1"), chunkIds());
    }

    @Test
    void retriesATimedOutAbortBeforeSendingAgain() throws Exception {
        producer.refuse(r -> true, new TimeoutException("expired"), 1)
                .failAbort(new TimeoutException("abort took longer than max.block.ms"))
                .failAbort(new TimeoutException("abort took longer than max.block.ms"));

        driver.commit(batch(chunk("run-a", 1)));

        assertEquals(1, producer.aborts());
        assertEquals(2, producer.begins());
        assertEquals(List.of("run-a/1"), chunkIds());
        assertEquals(1, listener.outagesStarted.get(), "one outage, however many retries");
    }

    @Test
    void stopsWhenFencedWithAClearMessageAndDoesNotRetry() {
        producer.failCommit(new ProducerFencedException("There is a newer producer with the same transactionalId"));

        PartitionFailedException failed =
                assertThrows(PartitionFailedException.class, () -> driver.commit(batch(chunk("run-a", 1))));

        assertEquals(RunLogFailure.Kind.FENCED, failed.failure().kind());
        assertEquals(
                "fenced: another recorder took over partition 3 of letta.chunks"
                        + " (transactional id lsr-recorder-letta.chunks-3)",
                failed.failure().message());
        assertEquals(1, producer.begins());
        assertEquals(0, producer.aborts());
        assertTrue(producer.history().isEmpty());
    }

    @Test
    void stopsWhenTheProducerWasFencedBeforeTheTransactionBegan() {
        producer.fenceProducer();

        PartitionFailedException failed =
                assertThrows(PartitionFailedException.class, () -> driver.commit(batch(chunk("run-a", 1))));

        assertEquals(RunLogFailure.Kind.FENCED, failed.failure().kind());
    }

    @Test
    void stopsOnAnAuthorizationError() {
        producer.failCommit(new TopicAuthorizationException(Set.of("letta.chunks")));

        PartitionFailedException failed =
                assertThrows(PartitionFailedException.class, () -> driver.commit(batch(chunk("run-a", 1))));

        assertEquals(RunLogFailure.Kind.FATAL, failed.failure().kind());
        assertTrue(
                failed.failure().message().startsWith("not authorized on partition 3 of letta.chunks"),
                failed.failure().message());
    }

    @Test
    void reinitialisesAProducerThatLostItsStateWithoutAFencingAndSendsTheBatchAgain() throws Exception {
        ScriptedProducer replacement = new ScriptedProducer();
        TransactionDriver reinitialising = replacing(replacement, REINITIALISE_IN_PLACE);
        producer.failCommit(new InvalidPidMappingException("the transactional id expired"));

        TransactionDriver.Result result = reinitialising.commit(batch(chunk("run-a", 1), chunk("run-a", 2)));

        assertEquals(2, result.attempts());
        assertTrue(producer.closed(), "the broken producer is closed");
        assertEquals(1, replacement.commitCount());
        assertEquals(
                List.of("run-a/1", "run-a/2"),
                replacement.history().stream()
                        .filter(r -> r.topic().equals("letta.chunks"))
                        .map(r -> header(r, ChunkLogFormat.Headers.ID))
                        .toList());
    }

    @Test
    void aFencingAnswerToACommitRetriedPastTheTransactionTimeoutIsTheCoordinatorsAbortNotAnotherOwner()
            throws Exception {
        ScriptedProducer replacement = new ScriptedProducer();
        TransactionDriver shortTimeout = replacing(
                replacement,
                Backoff.doubling(Duration.ofMillis(5), Duration.ofMillis(5)),
                Duration.ofMillis(1),
                REINITIALISE_IN_PLACE);
        producer.failCommit(new TimeoutException("coordinator slow"))
                .failCommit(new ProducerFencedException("epoch bumped by the coordinator's timeout abort"));

        shortTimeout.commit(batch(chunk("run-a", 1)));

        assertEquals(2, producer.commitCalls(), "the timed-out commit is retried as is until answered");
        assertEquals(1, replacement.commitCount(), "then the batch is committed by a new producer");
        assertEquals(
                List.of("run-a@1"),
                replacement.history().stream()
                        .filter(r -> r.topic().equals("letta.chunks.checkpoints"))
                        .map(r -> Checkpoint.fromJson(r.value()))
                        .map(c -> c.runId() + "@" + c.position())
                        .toList());
    }

    /**
     * The same answer when a replacement started while this recorder was cut off past its transaction timeout, and
     * committed: the partition's tail holds records this driver did not commit. A takeover: the partition stops as
     * fenced, and no new producer is made (it would fence the replacement back and commit the batch twice).
     */
    @Test
    void anOutlivedFencingWithSomeoneElsesCommitsInTheTailIsATakeover() {
        ScriptedProducer replacement = new ScriptedProducer();
        List<Long> asked = new java.util.ArrayList<>();
        TransactionDriver shortTimeout = replacing(
                replacement,
                Backoff.doubling(Duration.ofMillis(5), Duration.ofMillis(5)),
                Duration.ofMillis(1),
                REINITIALISE_IN_PLACE,
                offset -> asked.add(offset));
        producer.failCommit(new TimeoutException("coordinator slow"))
                .failCommit(new ProducerFencedException("a newer producer with the same transactionalId"));

        PartitionFailedException failed =
                assertThrows(PartitionFailedException.class, () -> shortTimeout.commit(batch(chunk("run-a", 1))));

        assertEquals(
                RunLogFailure.Kind.FENCED,
                failed.failure().kind(),
                failed.failure().message());
        assertEquals(List.of(0L), asked, "asked once, from where this driver's commits end");
        assertEquals(0, replacement.commitCount(), "no new producer: it would fence the replacement back");
    }

    /**
     * Nothing in the tail before the re-initialisation, but the new producer's {@code initTransactions} completed a
     * replacement's commit that was under way: the second look, after it, stops the partition before anything is
     * sent again.
     */
    @Test
    void aTakeoverCommittedDuringTheReinitialisationIsSeenAfterIt() {
        ScriptedProducer replacement = new ScriptedProducer();
        java.util.concurrent.atomic.AtomicInteger looks = new java.util.concurrent.atomic.AtomicInteger();
        TransactionDriver shortTimeout = replacing(
                replacement,
                Backoff.doubling(Duration.ofMillis(5), Duration.ofMillis(5)),
                Duration.ofMillis(1),
                REINITIALISE_IN_PLACE,
                offset -> looks.incrementAndGet() > 1);
        producer.failCommit(new TimeoutException("coordinator slow"))
                .failCommit(new ProducerFencedException("a newer producer with the same transactionalId"));

        PartitionFailedException failed =
                assertThrows(PartitionFailedException.class, () -> shortTimeout.commit(batch(chunk("run-a", 1))));

        assertEquals(RunLogFailure.Kind.FENCED, failed.failure().kind());
        assertEquals(2, looks.get());
        assertEquals(0, replacement.begins(), "nothing sent by the new producer");
    }

    /**
     * Kafka 4.4 answers a commit that races another producer's {@code initTransactions} for the same id with
     * INVALID_TXN_STATE instead of PRODUCER_FENCED. The driver waits for its records' acknowledgements before
     * committing, so the answer no longer means a commit that overtook its own records: a lone recorder that
     * re-initialised here would fence the recorder that just took over (seen in CI: both recorders stopped).
     */
    @Test
    void aLoneRecorderTreatsAnInvalidTxnStateCommitAsATakeoverAndDoesNotFenceItBack() {
        RunLogFailure taken = failsWithoutANewProducer(
                REINITIALISE_IN_PLACE,
                new InvalidTxnStateException("the new owner's initTransactions raced this commit"));

        assertEquals(RunLogFailure.Kind.FENCED, taken.kind(), taken.message());
        assertTrue(taken.message().contains("another recorder"), taken.message());
    }

    @Test
    void aLoneRecorderTreatsACommitTheCoordinatorFailedAsATakeoverAndDoesNotFenceItBack() {
        // Kafka 4.4's coordinator, when a commit races another producer's initTransactions for the same id, can
        // throw "Preparing transaction state transition to ONGOING while it already a pending state
        // PREPARE_EPOCH_FENCE" and answer UNKNOWN_SERVER_ERROR (seen in CrashRestartIT's broker log).
        RunLogFailure taken = failsWithoutANewProducer(
                REINITIALISE_IN_PLACE,
                new KafkaException("Unhandled error in EndTxnResponse: The server experienced an unexpected error when"
                        + " processing the request."));

        assertEquals(RunLogFailure.Kind.FENCED, taken.kind(), taken.message());
        assertTrue(taken.message().contains("another recorder"), taken.message());
    }

    @Test
    void inAFleetALostProducerIsNeverReinitialisedInPlaceThePartitionIsGivenUp() {
        RunLogFailure lost =
                failsWithoutANewProducer(GIVE_UP, new OutOfOrderSequenceException("the broker lost the sequence"));

        assertEquals(RunLogFailure.Kind.LOST, lost.kind(), lost.message());
        assertFalse(producer.closed(), "the log closes it when it gives the partition up");
    }

    /**
     * A fleet member gives a partition up in the middle of an outage: the outage ends with the committer, so the
     * ongoing-outages gauge (and the {@code kafka} readiness check) does not stay up for good on this member.
     */
    @Test
    void anOutageEndsWhenThePartitionIsGivenUpInTheMiddleOfIt() {
        ScriptedProducer replacement = new ScriptedProducer();
        TransactionDriver driver = replacing(replacement, GIVE_UP);
        producer.failCommit(new TimeoutException("the coordinator is away"));
        producer.failCommit(new OutOfOrderSequenceException("the broker lost the sequence"));

        assertThrows(PartitionFailedException.class, () -> driver.commit(batch(chunk("run-a", 1))));

        assertEquals(1, listener.outagesStarted.get());
        assertEquals(1, listener.outagesEnded.get(), "the outage ends with the committer");
    }

    /** The same when the queue is abandoned (the member lost the partition) while the committer waits to retry. */
    @Test
    void anOutageEndsWhenTheQueueIsAbandonedInTheMiddleOfIt() {
        RecordingListener abandoning = new RecordingListener() {
            @Override
            public void outageStarted(int partition, Throwable cause) {
                super.outageStarted(partition, cause);
                queue.abandon();
            }
        };
        TransactionDriver driver = new TransactionDriver(
                producer,
                P3,
                new OversizeGuard(1 << 20),
                queue,
                abandoning,
                Clock.fixed(T0, ZoneOffset.UTC),
                Backoff.doubling(Duration.ofMillis(1), Duration.ofMillis(4)));
        producer.failCommit(new TimeoutException("the coordinator is away"));

        assertThrows(TransactionDriver.Abandoned.class, () -> driver.commit(batch(chunk("run-a", 1))));

        assertEquals(1, abandoning.outagesStarted.get());
        assertEquals(1, abandoning.outagesEnded.get(), "the outage ends with the committer");
    }

    /** Commits a batch whose commit fails with {@code commitError}; it must fail without a new producer. */
    private RunLogFailure failsWithoutANewProducer(boolean reinitialiseInPlace, RuntimeException commitError) {
        ScriptedProducer replacement = new ScriptedProducer();
        TransactionDriver driver = replacing(replacement, reinitialiseInPlace);
        producer.failCommit(commitError);

        PartitionFailedException failed =
                assertThrows(PartitionFailedException.class, () -> driver.commit(batch(chunk("run-a", 1))));

        assertEquals(0, replacement.commitCount(), "no new producer: it would fence the new owner back");
        return failed.failure();
    }

    @Test
    void givesUpAfterTooManyReinitialisationsInARow() {
        TransactionDriver reinitialising = new TransactionDriver(
                new PartitionProducer(P3, producer, id -> {
                    ScriptedProducer broken = new ScriptedProducer();
                    broken.failCommit(new OutOfOrderSequenceException("again"));
                    return broken;
                }),
                P3,
                new OversizeGuard(1 << 20),
                queue,
                listener,
                Clock.fixed(T0, ZoneOffset.UTC),
                Backoff.doubling(Duration.ofMillis(1), Duration.ofMillis(4)),
                Duration.ofMinutes(2),
                true,
                PartitionTail.NONE,
                0);
        producer.failCommit(new OutOfOrderSequenceException("the broker lost the producer's sequence"));

        PartitionFailedException failed =
                assertThrows(PartitionFailedException.class, () -> reinitialising.commit(batch(chunk("run-a", 1))));

        assertEquals(RunLogFailure.Kind.FATAL, failed.failure().kind());
        assertTrue(
                failed.failure().message().contains("OutOfOrderSequenceException"),
                failed.failure().message());
    }

    @Test
    void replacesARecordKafkaRefusedAsTooLargeByItsRejectionAndCommitsTheRest() throws Exception {
        producer.refuse(
                r -> "run-a/2".equals(header(r, ChunkLogFormat.Headers.ID)),
                new RecordTooLargeException("The message is 2000000 bytes when serialized"),
                1);

        driver.commit(batch(chunk("run-a", 1), chunk("run-a", 2), chunk("run-a", 3)));

        List<ProducerRecord<byte[], byte[]>> chunks = chunkRecords();
        assertEquals(List.of("run-a/1", "run-a/rejected/2", "run-a/3"), chunkIds());
        assertEquals(
                RecordType.CHUNK_REJECTED,
                EnvelopeHeaders.read(chunks.get(1).headers()).type());
        assertEquals(
                Position.ofSeq(2), EnvelopeHeaders.read(chunks.get(1).headers()).position());
        assertEquals(List.of("run-a@3"), checkpoints());
        assertEquals(1, listener.rejected.get());
    }

    /** A terminal record Kafka refused keeps its type and place without its large parts: the run still ends. */
    @Test
    void aLifecycleRecordKafkaRefusedAsTooLargeKeepsItsTypeWithoutItsLargeParts() throws Exception {
        var hugeRun = dev.lsr.chunklog.Json.MAPPER
                .createObjectNode()
                .put("id", "run-a")
                .put("metadata", "m".repeat(5000));
        var finished = new dev.lsr.chunklog.ChunkLogRecord(
                Fixtures.finished("run-a", Position.ofSeq(1)).envelope(),
                new dev.lsr.chunklog.LifecycleEvent.RunFinished("end_turn", "completed", hugeRun).toJson());
        producer.refuse(
                r -> "run-a/finished".equals(header(r, ChunkLogFormat.Headers.ID)) && r.value().length > 4000,
                new RecordTooLargeException("The message is 2000000 bytes when serialized"),
                1);

        driver.commit(new Batch(
                List.of(pending(chunk("run-a", 1), RunState.ACTIVE), pending(finished, RunState.FINISHED)),
                CheckpointFold.of(
                        List.of(pending(chunk("run-a", 1), RunState.ACTIVE), pending(finished, RunState.FINISHED)),
                        runId -> null,
                        T0)));

        List<ProducerRecord<byte[], byte[]>> chunks = chunkRecords();
        assertEquals(List.of("run-a/1", "run-a/finished"), chunkIds());
        assertEquals(
                RecordType.RUN_FINISHED,
                EnvelopeHeaders.read(chunks.get(1).headers()).type());
        assertTrue(new String(chunks.get(1).value(), UTF_8).contains("\"left_out\":[\"run\"]"));
    }

    @Test
    void givesUpTheBatchWhenTheLogAbandonsItDuringAnOutage() {
        producer.failCommit(new TimeoutException("broker down"));
        queue.abandon();

        assertThrows(TransactionDriver.Abandoned.class, () -> driver.commit(batch(chunk("run-a", 1))));
        assertTrue(producer.history().isEmpty());
    }

    private static Batch batch(dev.lsr.chunklog.ChunkLogRecord... records) {
        List<Pending> items = java.util.Arrays.stream(records)
                .map(r -> pending(r, RunState.ACTIVE))
                .toList();
        return new Batch(items, CheckpointFold.of(items, runId -> null, T0));
    }

    private List<ProducerRecord<byte[], byte[]>> chunkRecords() {
        return producer.history().stream()
                .filter(r -> r.topic().equals("letta.chunks"))
                .toList();
    }

    private List<String> chunkIds() {
        return chunkRecords().stream()
                .map(r -> header(r, ChunkLogFormat.Headers.ID))
                .toList();
    }

    private List<String> checkpoints() {
        return producer.history().stream()
                .filter(r -> r.topic().equals("letta.chunks.checkpoints"))
                .map(r -> Checkpoint.fromJson(r.value()))
                .map(c -> c.runId() + "@" + c.position())
                .toList();
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), UTF_8);
    }
}
