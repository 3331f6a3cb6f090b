package dev.lsr.recorder.internal.intake;

import static dev.lsr.recorder.testing.RecordingAppender.value;
import static dev.lsr.recorder.testing.SessionHarness.expectedChunks;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.RunState;
import dev.lsr.recorder.RecorderFailure;
import dev.lsr.recorder.RunOutcome;
import dev.lsr.recorder.log.UnreadableCheckpointException;
import dev.lsr.recorder.testing.FakeLetta;
import dev.lsr.recorder.testing.ScriptedStream;
import dev.lsr.recorder.testing.SessionHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunRegistryTest {

    private final SessionHarness harness = new SessionHarness();
    private final Map<String, Checkpoint> checkpoints = new HashMap<>();
    private final List<RecorderFailure> fatal = new CopyOnWriteArrayList<>();
    private final RunRegistry registry =
            new RunRegistry(harness.context(), runId -> Optional.ofNullable(checkpoints.get(runId)), fatal::add);

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void attachingTheSameRunTwiceGivesTheSameRecording() throws Exception {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        harness.letta.then(runId, new FakeLetta.Step.Cut(3, ScriptedStream.Ending.HANG));
        CompletableFuture<RunOutcome> first = registry.attach(runId, null, "watch");
        CompletableFuture<RunOutcome> second = registry.attach(runId, null, "attach");
        assertSame(first, second);
        assertEquals(RunOutcome.Kind.FINISHED, first.get(10, TimeUnit.SECONDS).kind());
        assertEquals(expectedChunks("01-simple-reply"), harness.log.chunks(runId));
        assertEquals(
                RunOutcome.Kind.ALREADY_RECORDED,
                registry.attach(runId, null, "watch").get().kind());
        assertTrue(registry.isKnown(runId));
        assertEquals(0, registry.activeCount());
    }

    @Test
    void reattachingARunWhoseSessionFailedContinuesAfterTheLastAppendedPositionNotTheCommittedOne() throws Exception {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        // the committed checkpoint lags: it still says the run's first chunk
        checkpoints.put(
                runId, Checkpoint.of(runId, Position.ofSeq(1), RunState.ACTIVE, "agent-1", "conv-1", Instant.now()));
        RunRegistry failingRegistry = failedOnceAfterFiveChunks(runId);

        assertEquals(
                expectedChunks("01-simple-reply").subList(1, 6), harness.log.chunks(runId), "after the checkpoint");

        assertEquals(
                RunOutcome.Kind.FINISHED,
                failingRegistry
                        .attach(runId, null, "watch")
                        .get(10, TimeUnit.SECONDS)
                        .kind());
        List<String> afterCheckpoint = expectedChunks("01-simple-reply");
        assertEquals(afterCheckpoint.subList(1, afterCheckpoint.size()), harness.log.chunks(runId), "every chunk once");
        LifecycleEvent.RunResumed resumed =
                value(harness.log.ofType(runId, RecordType.RUN_RESUMED).getLast(), LifecycleEvent.RunResumed.class);
        assertEquals("reattach", resumed.cause());
        assertTrue(resumed.startingAfter() > 1, "resumed after the last appended seq: " + resumed.startingAfter());
    }

    /**
     * A run whose session failed is attached again by the watcher's next round while Letta lists it. If it ends
     * before that round, no listing shows it again and the sweeps look back only so far: the watcher tells the
     * registry the run left the listing, and the registry attaches it once more to record its end.
     */
    @Test
    void aRunWhoseSessionFailedIsAttachedOnceMoreWhenItLeavesTheListing() throws Exception {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        RunRegistry failingRegistry = failedOnceAfterFiveChunks(runId);

        failingRegistry.offerOnceMoreAtItsEnd(runId);

        org.awaitility.Awaitility.await("the run's end recorded")
                .atMost(Duration.ofSeconds(10))
                .until(() -> harness.log.chunks(runId).equals(expectedChunks("01-simple-reply")));
    }

    /** The same for a run continued from its checkpoint after a restart: its failed session is retried at its end. */
    @Test
    void aRestoredRunWhoseSessionFailedIsAttachedOnceMoreWhenItLeavesTheListing() throws Exception {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        Checkpoint checkpoint =
                Checkpoint.of(runId, Position.ofSeq(1), RunState.ACTIVE, "agent-1", "conv-1", Instant.now());
        checkpoints.put(runId, checkpoint);
        harness.letta.then(runId, new FakeLetta.Step.Cut(5, ScriptedStream.Ending.EOF));
        RunRegistry failingRegistry = new RunRegistry(
                failingOnceBeforeItsReconnect(), id -> Optional.ofNullable(checkpoints.get(id)), fatal::add);
        assertEquals(
                RunOutcome.Kind.FAILED,
                failingRegistry.restore(checkpoint).get(10, TimeUnit.SECONDS).kind());

        failingRegistry.offerOnceMoreAtItsEnd(runId);

        List<String> afterTheCheckpoint = expectedChunks("01-simple-reply")
                .subList(1, expectedChunks("01-simple-reply").size());
        org.awaitility.Awaitility.await("the run's end recorded")
                .atMost(Duration.ofSeconds(10))
                .until(() -> harness.log.chunks(runId).equals(afterTheCheckpoint));
    }

    /**
     * A run asked for by id whose Run object Letta cannot show while its stream answers is recorded from its stream: a
     * stream that answers is of a run younger than the log's window. (A review found the first version of the wait
     * below blocking here, so the run was never recorded.)
     */
    @Test
    void aRunWhoseRunObjectLettaCannotShowIsRecordedFromItsStream() throws Exception {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        harness.letta.runObjectUnavailable(runId);

        RunOutcome outcome = forgettingRegistry().attach(runId, null, "attach").get(10, TimeUnit.SECONDS);

        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind(), outcome.toString());
        assertEquals(expectedChunks("01-simple-reply"), harness.log.chunks(runId));
    }

    /**
     * Where the log removes old checkpoints, a run asked for by id whose stream Letta refuses for good (410) while it
     * cannot show the Run object waits for it (its end time decides whether the log may have held the run); a stop
     * while it waits appends nothing. Where the log keeps every checkpoint, the refusal is recorded at once.
     */
    @Test
    void aRefusedRunWaitsForItsRunObjectOnlyWhereTheLogForgetsOldRuns() throws Exception {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        harness.letta.runObjectUnavailable(runId);
        harness.letta.thenAlways(runId, new FakeLetta.Step.Http(410, "Run has expired", null));

        CompletableFuture<RunOutcome> waiting = forgettingRegistry().attach(runId, null, "attach");
        await("three asks after the refusal").atMost(Duration.ofSeconds(10)).until(() -> gets(runId) >= 4);
        assertFalse(waiting.isDone(), "still waiting: " + waiting);
        harness.stopping.set(true);

        assertEquals(
                RunOutcome.Kind.INTERRUPTED, waiting.get(10, TimeUnit.SECONDS).kind());
        assertEquals(List.of(), harness.log.all(), "nothing appended");

        harness.stopping.set(false);
        assertEquals(
                RunOutcome.Kind.EXPIRED,
                registry.attach(runId, null, "attach").get(10, TimeUnit.SECONDS).kind(),
                "a log that keeps every checkpoint");
        assertEquals(List.of(RecordType.RUN_EXPIRED), harness.log.types(runId));
    }

    private RunRegistry forgettingRegistry() {
        return new RunRegistry(
                harness.context(),
                CheckpointLookup.forgettingAfter(Duration.ofHours(3), id -> Optional.empty()),
                fatal::add);
    }

    private long gets(String runId) {
        return harness.letta.requests().stream()
                .filter(("GET " + runId)::equals)
                .count();
    }

    /** A run whose sessions keep failing is left alone by the watcher for a pause that grows: not every round. */
    @Test
    void aRunWhoseSessionFailedWaitsBeforeTheWatcherAttachesItAgain() throws Exception {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        RunRegistry failingRegistry = failedOnceAfterFiveChunks(runId);

        assertTrue(failingRegistry.isKnown(runId), "right after its failure");
        harness.clock.advance(Duration.ofMillis(1_100));
        assertFalse(failingRegistry.isKnown(runId), "after a second");
    }

    /**
     * A fleet member gives a partition up after a session of one of its runs failed past the committed checkpoint.
     * That position may not survive the hold's final commit, so once the partition is given up the run continues
     * from its committed checkpoint, whoever attaches it next (here a watcher racing the take's own forgetting).
     */
    @Test
    void aRunOfAPartitionGivenUpContinuesFromItsCommittedCheckpoint() throws Exception {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        harness.letta.then(runId, new FakeLetta.Step.Cut(5, ScriptedStream.Ending.EOF));
        dev.lsr.recorder.internal.run.SessionContext failing = failingOnceBeforeItsReconnect();
        checkpoints.put(
                runId, Checkpoint.of(runId, Position.ofSeq(1), RunState.ACTIVE, "agent-1", "conv-1", Instant.now()));
        RunRegistry member =
                new RunRegistry(failing, runId2 -> Optional.ofNullable(checkpoints.get(runId2)), fatal::add);
        assertEquals(
                RunOutcome.Kind.FAILED,
                member.attach(runId, null, "watch").get(10, TimeUnit.SECONDS).kind());

        assertTrue(member.giveUp(id -> true, Duration.ofSeconds(5)));
        member.attach(runId, null, "watch").get(10, TimeUnit.SECONDS);

        LifecycleEvent.RunResumed resumed =
                value(harness.log.ofType(runId, RecordType.RUN_RESUMED).getLast(), LifecycleEvent.RunResumed.class);
        assertEquals("restart", resumed.cause(), "from the committed checkpoint");
        assertEquals(1, resumed.startingAfter());
    }

    @Test
    void aRunTheLogHoldsAsEndedIsNotAttachedAgain() throws Exception {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        checkpoints.put(runId, Checkpoint.of(runId, new Position(60, 2), RunState.FINISHED, null, null, Instant.now()));
        assertEquals(
                RunOutcome.Kind.ALREADY_RECORDED,
                registry.attach(runId, null, "watch").get(5, TimeUnit.SECONDS).kind());
        assertTrue(harness.log.all().isEmpty());
    }

    @Test
    void aRunWhoseCheckpointIsUnreadableIsLeftAloneNotRecordedFromItsStart() throws Exception {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        RunRegistry unreadable = new RunRegistry(
                harness.context(),
                id -> {
                    throw new UnreadableCheckpointException(id, "state PAUSED");
                },
                fatal::add);

        RunOutcome outcome = unreadable.attach(runId, null, "catch_up").get(5, TimeUnit.SECONDS);

        assertEquals(RunOutcome.Kind.CHECKPOINT_UNREADABLE, outcome.kind());
        assertTrue(harness.log.all().isEmpty());
        assertTrue(unreadable.isKnown(runId), "the watcher does not try it again every round");
        assertTrue(fatal.isEmpty());
    }

    @Test
    void aRunTheLogHoldsAsActiveContinuesFromItsCheckpoint() throws Exception {
        String runId = harness.letta.serve("05-long-run-with-pings", "completed");
        checkpoints.put(
                runId, Checkpoint.of(runId, Position.ofSeq(300), RunState.ACTIVE, "agent-9", "conv-9", Instant.now()));

        registry.attach(runId, null, "watch").get(10, TimeUnit.SECONDS);

        LifecycleEvent.RunResumed resumed =
                value(harness.log.records(runId).getFirst(), LifecycleEvent.RunResumed.class);
        assertEquals(300, resumed.startingAfter());
        assertEquals("restart", resumed.cause());
        assertEquals("conv-9", harness.log.records(runId).getFirst().envelope().conversationId());
        assertEquals(0, harness.log.ofType(runId, RecordType.RUN_ATTACHED).size());
    }

    @Test
    void restoreContinuesAnActiveCheckpoint() throws Exception {
        String runId = harness.letta.serve("04-error-mid-run", "failed");
        Checkpoint checkpoint = Checkpoint.of(runId, new Position(26, 1), RunState.ACTIVE, null, null, Instant.now());

        RunOutcome outcome = registry.restore(checkpoint).get(10, TimeUnit.SECONDS);

        assertEquals(new RunOutcome(runId, RunOutcome.Kind.FINISHED, "llm_api_error"), outcome);
        List<String> expected = expectedChunks("04-error-mid-run");
        assertEquals(expected.subList(expected.size() - 2, expected.size()), harness.log.chunks(runId));
    }

    @Test
    void aClosedLogIsReportedAsFatalAndTheRunIsNotMarkedEnded() throws Exception {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        harness.log.close(true);

        RunOutcome outcome = registry.attach(runId, null, "watch").get(5, TimeUnit.SECONDS);

        assertEquals(RunOutcome.Kind.FAILED, outcome.kind());
        assertInstanceOf(RecorderFailure.Fenced.class, fatal.getFirst(), "the closed log says it was fenced");
        harness.clock.advance(Duration.ofMillis(1_100)); // the pause after a first failure
        assertTrue(!registry.isKnown(runId), "a failed recording can be attached again later");
    }

    /**
     * A fleet member gives a partition up while one of its runs has recorded nothing yet (its stream not open or
     * quiet: Letta slow, throttled). No committed checkpoint need bring that run back at the new owner, and the
     * watcher lists an ended run only once (catch-up, sweeps), so the stopped run is handed to the fleet with how
     * it was found.
     */
    @Test
    void aRunStoppedBecauseItsPartitionLeftIsHandedToTheFleet() throws Exception {
        try (SessionHarness slow =
                new SessionHarness(Duration.ofMinutes(30), Duration.ofMinutes(5), Duration.ofMinutes(5))) {
            String runId = slow.letta.serve("01-simple-reply", "completed");
            slow.letta.then(runId, new FakeLetta.Step.Cut(0, ScriptedStream.Ending.HANG));
            FleetRouter fleet = FleetRouter.owningAll();
            RunRegistry member = fleet.registry(slow.context(), fatal::add, Duration.ofSeconds(1));
            CompletableFuture<RunOutcome> outcome = member.attach(runId, null, "catch_up");
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> slow.letta.requests().stream().anyMatch(r -> r.startsWith("STREAM " + runId)));

            fleet.owned.set(false);
            slow.stopping.set(true); // what the member's sessions see for the runs it stops (RunStops)
            assertTrue(member.giveUp(id -> true, Duration.ofSeconds(5)));

            assertEquals(
                    RunOutcome.Kind.INTERRUPTED,
                    outcome.get(1, TimeUnit.SECONDS).kind());
            assertTrue(slow.log.chunks(runId).isEmpty(), "no chunk was appended");
            assertEquals(
                    List.of(runId + " catch_up"), fleet.offers, "handed to the member that owns the partition now");
        }
    }

    /**
     * The partition leaves between an intake's ownership check and its claim (a give on the membership thread): the
     * run is not recorded here, where the give's stop of the partition's runs may already have passed, while the
     * stopped session's last records wait for the final commit; it is handed to the partition's next owner.
     */
    @Test
    void aRunWhosePartitionLeavesRightAfterTheOwnershipCheckIsHandedToTheFleet() throws Exception {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        FleetRouter fleet = FleetRouter.owningAll();
        RunRegistry member = fleet.registry(harness.context(), fatal::add, Duration.ofSeconds(1));
        fleet.leavesAfterNextAnswer.set(true);

        RunOutcome outcome = member.attach(runId, null, "watch").get(10, TimeUnit.SECONDS);

        assertEquals(RunOutcome.Kind.FORWARDED, outcome.kind(), outcome.toString());
        assertTrue(harness.log.records(runId).isEmpty(), "nothing recorded here");
        assertEquals(List.of(runId + " watch"), fleet.offers);
    }

    /**
     * A run whose session failed (an unexpected exception) is attached again by the watcher's next round, on the
     * member that owns its partition. When that member gives the partition up first, it forgets the run, and only
     * a committed checkpoint or a later listing would bring it back at the new owner (an ended run is listed once):
     * so it is handed to the fleet with how it was found, as a run stopped unfinished is.
     */
    @Test
    void aRunWhoseSessionFailedIsHandedToTheFleetWhenItsPartitionLeaves() throws Exception {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        harness.letta.then(runId, new FakeLetta.Step.Cut(5, ScriptedStream.Ending.EOF));
        FleetRouter fleet = FleetRouter.owningAll();
        RunRegistry member = fleet.registry(failingOnceBeforeItsReconnect(), fatal::add, Duration.ofSeconds(1));
        assertEquals(
                RunOutcome.Kind.FAILED,
                member.attach(runId, null, "catch_up").get(10, TimeUnit.SECONDS).kind());

        fleet.owned.set(false);
        assertTrue(member.giveUp(id -> true, Duration.ofSeconds(5)));

        assertEquals(List.of(runId + " catch_up"), fleet.offers, "handed to the member that owns the partition now");
        assertTrue(fatal.isEmpty(), "no fatal failure: " + fatal);
    }

    /**
     * While the recorder stops, its runs are handed to the fleet, and it reads those offers itself until it has
     * left the group: it must not start them again (each new session would end at once and be handed over again,
     * over and over until the member leaves).
     */
    @Test
    void aRunOfferedWhileTheRecorderStopsIsLeftToTheNextOwner() throws Exception {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        FleetRouter fleet = FleetRouter.owningAll();
        RunRegistry member = fleet.registry(harness.context(), fatal::add, Duration.ofSeconds(1));
        harness.stopping.set(true);

        RunOutcome outcome = member.attachOffered(runId, "watch").get(5, TimeUnit.SECONDS);

        assertEquals(RunOutcome.Kind.INTERRUPTED, outcome.kind(), "outcome " + outcome);
        assertTrue(member.isIdle(), "no recording started");
        assertTrue(harness.letta.requests().isEmpty(), "Letta was not asked: " + harness.letta.requests());
        assertEquals(
                List.of(), fleet.offers, "not handed over again: the offer stays in the intake for the next owner");
    }

    @Test
    void stoppingInterruptsRecordingsAndWaitsForThem() throws Exception {
        try (SessionHarness slow =
                new SessionHarness(Duration.ofMinutes(30), Duration.ofMinutes(5), Duration.ofMinutes(5))) {
            String slowRun = slow.letta.serve("05-long-run-with-pings", "completed");
            slow.letta.then(slowRun, new FakeLetta.Step.Cut(10, ScriptedStream.Ending.HANG));
            RunRegistry slowRegistry = new RunRegistry(slow.context(), CheckpointLookup.EMPTY, fatal::add);
            CompletableFuture<RunOutcome> outcome = slowRegistry.attach(slowRun, null, "watch");
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> slow.log.chunks(slowRun).size() >= 10);
            slow.stopping.set(true);
            slow.watchdog.check();
            assertTrue(slowRegistry.awaitStopped(Duration.ofSeconds(5)));
            assertEquals(
                    RunOutcome.Kind.INTERRUPTED,
                    outcome.get(1, TimeUnit.SECONDS).kind());
        }
    }

    /**
     * A fleet member gives a partition up while one of its restored runs does not stop in time (here: a thread busy
     * after an append), and takes the partition again at once. The take's restore of the run must not be absorbed by
     * that stopping session: before, the claim returned the old session's recording, which then stopped as asked
     * (a restored run has no intake mode, so it was not handed to the fleet either), and nobody recorded the run
     * until the next rebalance. The new session continues from the checkpoint the take read; the stopping one
     * appended nothing after it was asked to stop.
     */
    @Test
    void aRestoreDuringTheStopOfTheRunsEarlierSessionRecordsItOnceThatSessionStopped() throws Exception {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger appends = new java.util.concurrent.atomic.AtomicInteger();
        dev.lsr.recorder.internal.drain.RunAppender busyAfterTheSecondChunk = (record, stateAfter) -> {
            harness.log.append(record, stateAfter);
            if (record.type() == RecordType.CHUNK && appends.incrementAndGet() == 2) {
                busy.countDown();
                awaitIgnoringInterrupts(done);
            }
        };
        RunRegistry member = memberStoppingItsRuns(harness.context(harness.letta, busyAfterTheSecondChunk));
        assertATakeWhileTheSessionIsStuckRecordsTheRunOnce(member, runId, busy, done);
    }

    /**
     * The same take, with the stopping session blocked in a read that ignores the interrupt and then hands it a
     * frame (bytes already buffered): a session asked to stop appends nothing more, neither that frame nor its run's
     * end. Before, it appended the frame into the partition's new hold, and the run's next session, continuing
     * from the checkpoint the take read, appended it again.
     */
    @Test
    void aSessionAskedToStopAppendsNothingMoreEvenAFrameItAlreadyRead() throws Exception {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        // the first stream's third frame comes only once done, interrupts or not
        dev.lsr.recorder.internal.letta.LettaApi blockingFirstStream = new dev.lsr.recorder.testing.ObservedLetta(
                harness.letta,
                frame -> {
                    if (frame == 3) {
                        busy.countDown();
                        awaitIgnoringInterrupts(done);
                    }
                },
                () -> {});
        RunRegistry member = memberStoppingItsRuns(harness.context(blockingFirstStream, harness.log));
        assertATakeWhileTheSessionIsStuckRecordsTheRunOnce(member, runId, busy, done);
    }

    /**
     * Restores fixture 01's run from seq 1 on {@code member}; once its session is stuck ({@code busy}, after two chunks),
     * gives its partition up without waiting for it, takes it again (forget, restore, as PartitionSeat.assigned does),
     * then lets the stuck session go on ({@code done}). The stuck session stops; the take's restore records the run:
     * the log holds the stuck session's two chunks (which its hold dropped), then everything after the checkpoint.
     */
    private void assertATakeWhileTheSessionIsStuckRecordsTheRunOnce(
            RunRegistry member,
            String runId,
            java.util.concurrent.CountDownLatch busy,
            java.util.concurrent.CountDownLatch done)
            throws Exception {
        Checkpoint checkpoint =
                Checkpoint.of(runId, Position.ofSeq(1), RunState.ACTIVE, "agent-1", "conv-1", Instant.now());
        CompletableFuture<RunOutcome> earlier = member.restore(checkpoint);
        assertTrue(busy.await(10, TimeUnit.SECONDS));

        assertFalse(member.giveUp(id -> true, Duration.ofMillis(100)), "the session does not stop in time");
        member.forget(id -> true);
        CompletableFuture<RunOutcome> retaken = member.restore(checkpoint);
        done.countDown();

        assertEquals(
                RunOutcome.Kind.INTERRUPTED, earlier.get(10, TimeUnit.SECONDS).kind());
        assertEquals(RunOutcome.Kind.FINISHED, retaken.get(10, TimeUnit.SECONDS).kind());
        List<String> expected = expectedChunks("01-simple-reply");
        List<String> fromTheCheckpoint = expected.subList(1, expected.size());
        List<String> both = new java.util.ArrayList<>(fromTheCheckpoint.subList(0, 2));
        both.addAll(fromTheCheckpoint);
        assertEquals(both, harness.log.chunks(runId), "two chunks by the stuck session, then all after seq 1");
    }

    /**
     * A fleet member's registry over {@code ctx} owning every run, whose sessions see a give's stop as the daemon
     * wires it: through the registry's own {@link RunStops}.
     */
    private RunRegistry memberStoppingItsRuns(dev.lsr.recorder.internal.run.SessionContext ctx) {
        RunStops stops = new RunStops();
        return new RunRegistry(
                new dev.lsr.recorder.internal.run.SessionContext(
                        ctx.api(),
                        ctx.appender(),
                        ctx.records(),
                        ctx.watchdog(),
                        ctx.policy(),
                        ctx.settings(),
                        ctx.sleeper(),
                        ctx.random(),
                        ctx.listener(),
                        stops::current,
                        ctx.restoreAttaches()),
                CheckpointLookup.EMPTY,
                fatal::add,
                FleetRouter.owningAll(),
                stops,
                RunWatcher.reofferAfter(Duration.ofSeconds(1)));
    }

    /** Waits for {@code latch} however often interrupted meanwhile, then keeps the interrupt. */
    private static void awaitIgnoringInterrupts(java.util.concurrent.CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A run whose recording failed is no longer recorded here: it leaves the active-runs gauge, as a run that ended
     * does, and counts as a failed recording. Before, only a run's own ending took it out, so the gauge grew with
     * every failed or handed-over run; then it counted as {@code interrupted}, which says the recorder stopped.
     */
    @Test
    void aRunWhoseRecordingFailedLeavesTheActiveRunsGauge() throws Exception {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        harness.letta.then(runId, new FakeLetta.Step.Cut(5, ScriptedStream.Ending.EOF));
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        RunRegistry failing = new RunRegistry(
                failingOnceBeforeItsReconnect(new dev.lsr.recorder.metrics.RecorderMetrics(meters)),
                id -> Optional.ofNullable(checkpoints.get(id)),
                fatal::add);

        assertEquals(
                RunOutcome.Kind.FAILED,
                failing.attach(runId, null, "watch").get(10, TimeUnit.SECONDS).kind());

        assertEquals(
                0,
                meters.get(dev.lsr.recorder.metrics.RecorderMetrics.RUNS_ACTIVE)
                        .gauge()
                        .value(),
                "the failed run is not counted as being recorded");
        assertEquals(
                1.0,
                meters.get(dev.lsr.recorder.metrics.RecorderMetrics.RUNS_ENDED)
                        .tag("state", "failed")
                        .counter()
                        .count(),
                "counted as a failed recording");
        assertEquals(
                0.0,
                meters.get(dev.lsr.recorder.metrics.RecorderMetrics.RUNS_ENDED)
                        .tag("state", "interrupted")
                        .counter()
                        .count(),
                "not as one the recorder stopped (an audit found failures counted there)");
    }

    /**
     * An {@code Error} out of a run's recording (a bug, a stack overflow on odd input) still releases the run: its
     * outcome completes and a later attach records it. Before, the run stayed claimed for good, unrecorded.
     */
    @Test
    void aRunWhoseRecordingThrewAnErrorIsReleasedAndRecordedOnTheNextAttach() throws Exception {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        harness.letta.then(runId, new FakeLetta.Step.Cut(5, ScriptedStream.Ending.EOF));
        RunRegistry erring = new RunRegistry(
                failingOnceBeforeItsReconnect(harness.context().listener(), new AssertionError("a bug in the session")),
                id -> Optional.ofNullable(checkpoints.get(id)),
                fatal::add);

        assertEquals(
                RunOutcome.Kind.FAILED,
                erring.attach(runId, null, "watch").get(10, TimeUnit.SECONDS).kind());
        assertEquals(
                RunOutcome.Kind.FINISHED,
                erring.attach(runId, null, "watch").get(10, TimeUnit.SECONDS).kind());
        assertEquals(expectedChunks("01-simple-reply"), harness.log.chunks(runId));
    }

    /** A registry whose session of {@code runId} failed after five chunks, before its reconnect. */
    private RunRegistry failedOnceAfterFiveChunks(String runId) throws Exception {
        harness.letta.then(runId, new FakeLetta.Step.Cut(5, ScriptedStream.Ending.EOF));
        RunRegistry failingRegistry = new RunRegistry(
                failingOnceBeforeItsReconnect(), runId2 -> Optional.ofNullable(checkpoints.get(runId2)), fatal::add);
        assertEquals(
                RunOutcome.Kind.FAILED,
                failingRegistry
                        .attach(runId, null, "watch")
                        .get(10, TimeUnit.SECONDS)
                        .kind());
        return failingRegistry;
    }

    /** The harness's context, but the first backoff sleep throws: the session fails after its first connection. */
    private dev.lsr.recorder.internal.run.SessionContext failingOnceBeforeItsReconnect() {
        return failingOnceBeforeItsReconnect(harness.context().listener());
    }

    private dev.lsr.recorder.internal.run.SessionContext failingOnceBeforeItsReconnect(
            dev.lsr.recorder.RecorderListener listener) {
        return failingOnceBeforeItsReconnect(
                listener, new IllegalStateException("the session breaks before its reconnect"));
    }

    /** The same, throwing {@code failure} (unchecked: a RuntimeException or an Error), heard by {@code listener}. */
    private dev.lsr.recorder.internal.run.SessionContext failingOnceBeforeItsReconnect(
            dev.lsr.recorder.RecorderListener listener, Throwable failure) {
        var ctx = harness.context();
        java.util.concurrent.atomic.AtomicBoolean failOnce = new java.util.concurrent.atomic.AtomicBoolean(true);
        return new dev.lsr.recorder.internal.run.SessionContext(
                ctx.api(),
                ctx.appender(),
                ctx.records(),
                ctx.watchdog(),
                ctx.policy(),
                ctx.settings(),
                delay -> {
                    if (failOnce.getAndSet(false)) {
                        if (failure instanceof Error error) {
                            throw error;
                        }
                        throw (RuntimeException) failure;
                    }
                },
                ctx.random(),
                listener,
                ctx.stopping(),
                ctx.restoreAttaches());
    }
}
