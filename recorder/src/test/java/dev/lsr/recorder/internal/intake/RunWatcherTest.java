package dev.lsr.recorder.internal.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.lsr.recorder.RecorderFailure;
import dev.lsr.recorder.internal.letta.LettaHttpException;
import dev.lsr.recorder.internal.letta.RunQuery;
import dev.lsr.recorder.testing.FakeLetta;
import dev.lsr.recorder.testing.LogCapture;
import dev.lsr.recorder.testing.SessionHarness;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunWatcherTest {

    private final SessionHarness harness = new SessionHarness();
    private final List<RecorderFailure> fatal = new CopyOnWriteArrayList<>();
    private final RunRegistry registry = new RunRegistry(harness.context(), CheckpointLookup.EMPTY, fatal::add);

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void everyActiveRunIsAttachedOnceAcrossPolls() throws Exception {
        String one = harness.letta.serve("01-simple-reply", "completed");
        String two = harness.letta.serve("03-parallel-approvals", "completed");
        harness.letta.onList(query -> List.of(
                FakeLetta.run(one, "running"), FakeLetta.run(two, "created"), FakeLetta.run("run-done", "completed")));
        RunWatcher watcher = watcher(List.of(), List.of());

        for (int i = 0; i < 5; i++) {
            assertTrue(watcher.pollOnce());
        }
        assertTrue(registry.awaitIdle(Duration.ofSeconds(10)));

        assertEquals(
                1,
                harness.log
                        .ofType(one, dev.lsr.chunklog.RecordType.RUN_ATTACHED)
                        .size());
        assertEquals(
                1,
                harness.log
                        .ofType(two, dev.lsr.chunklog.RecordType.RUN_ATTACHED)
                        .size());
        assertTrue(harness.log.records("run-done").isEmpty(), "ended runs are not attached");
        assertEquals(
                10,
                harness.letta.requests().stream()
                        .filter(r -> r.startsWith("LIST") && r.contains("running"))
                        .count(),
                "each poll: a page, and the empty page after it");
    }

    /**
     * The recorder stops: the watcher's flag is set, then its thread interrupted, which ends the listing in flight in
     * an {@code InterruptedIOException("interrupted")} (OkHttpLettaApi: an interrupted connect too). That is the stop,
     * not Letta failing: the round ends without a failed listing's WARN. Before, the stop logged "Listing runs failed
     * (interrupted; ...); the watcher backs off while it fails".
     */
    @Test
    void aListingInterruptedByTheStopIsNoFailedRound() {
        AtomicBoolean stopping = new AtomicBoolean();
        harness.letta.onList(query -> {
            stopping.set(true); // the stop: its flag, then the interrupt, which ends the listing
            throw new UncheckedIOException(new InterruptedIOException("interrupted"));
        });
        RunWatcher watcher = new RunWatcher(
                harness.letta,
                registry,
                List.of(),
                List.of(),
                Duration.ofSeconds(1),
                Duration.ZERO,
                harness.clock,
                d -> {},
                stopping::get,
                fatal::add);

        try (LogCapture logs = LogCapture.capture()) {
            assertTrue(watcher.pollOnce());
            assertEquals(
                    List.of(),
                    logs.events().stream()
                            .filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
                            .map(ILoggingEvent::getFormattedMessage)
                            .toList(),
                    "what the stop logged");
        }
        assertTrue(fatal.isEmpty(), fatal.toString());
    }

    /**
     * Anything unexpected in a round (here the listing throws an IllegalStateException; in the daemon, a hand-over
     * to the fleet whose producer is closed) is a failed round, backed off and logged: it used to end the
     * watcher's thread without a word, and nothing restarted it.
     */
    @Test
    void anUnexpectedErrorInARoundIsAFailedRoundNotTheWatchersEnd() {
        harness.letta.onList(query -> {
            throw new IllegalStateException("boom");
        });
        RunWatcher watcher = watcher(List.of(), List.of());

        assertTrue(watcher.pollOnce(), "the watcher goes on");
        assertTrue(
                watcher.nextDelay().compareTo(Duration.ofSeconds(1)) >= 0,
                watcher.nextDelay().toString());
        assertTrue(fatal.isEmpty(), fatal.toString());
    }

    /**
     * One of the watched agents answers 404 (deleted, say): the other agent's runs are still found and recorded.
     * A failing query used to end the round, so one bad filter stopped discovery for every agent.
     */
    @Test
    void aFailingQueryCostsOnlyItsOwnRuns() throws Exception {
        String run = harness.letta.serve("01-simple-reply", "completed");
        harness.letta.onList(query -> {
            if ("agent-gone".equals(query.agentId())) {
                throw new java.io.UncheckedIOException(
                        new LettaHttpException("GET /v1/runs/", 404, "Agent agent-gone not found", null, null));
            }
            return query.statuses().contains("running") ? List.of(FakeLetta.run(run, "running")) : List.of();
        });
        RunWatcher watcher = watcher(List.of("agent-gone", "agent-1"), List.of());

        assertTrue(watcher.pollOnce());
        assertTrue(registry.awaitIdle(Duration.ofSeconds(10)));

        assertEquals(SessionHarness.expectedChunks("01-simple-reply"), harness.log.chunks(run));
    }

    /**
     * Without catch-up, the sweeps look back to the watcher's first round, even when that round's listing failed:
     * a short run created between polls after it is still found. The first sweep used to take its window from the
     * round that finally swept, ten polls later, and runs before that (beyond the margin) were never seen.
     */
    @Test
    void withoutCatchUpTheSweepsReachBackToTheFirstRoundEvenAfterItFailed() throws Exception {
        String shortRun = harness.letta.serve("01-simple-reply", "completed");
        java.time.Instant first = harness.clock.instant();
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
        harness.letta.onList(query -> {
            if (down.get()) {
                throw new java.io.UncheckedIOException(new java.io.IOException("connection refused"));
            }
            return query.statuses().contains("completed")
                    ? List.of(ended(shortRun, first.plus(Duration.ofSeconds(100))))
                    : List.of();
        });
        RunWatcher watcher = new RunWatcher(
                harness.letta,
                registry,
                List.of(),
                List.of(),
                Duration.ofSeconds(30),
                Duration.ZERO,
                harness.clock,
                d -> {},
                () -> false,
                fatal::add);

        assertTrue(watcher.pollOnce()); // fails
        down.set(false);
        harness.clock.advance(Duration.ofSeconds(300));
        assertTrue(watcher.pollOnce()); // the next sweep round: the window starts
        harness.clock.advance(Duration.ofSeconds(300));
        assertTrue(watcher.pollOnce()); // sweeps it
        assertTrue(registry.awaitIdle(Duration.ofSeconds(10)));

        assertEquals(SessionHarness.expectedChunks("01-simple-reply"), harness.log.chunks(shortRun));
    }

    @Test
    void theFirstRoundCatchesUpOnRunsThatEndedWithinTheWindowOnly() throws Exception {
        String recent = harness.letta.serve("01-simple-reply", "completed");
        String old = harness.letta.serve("03-parallel-approvals", "completed");
        harness.letta.onList(query -> query.statuses().contains("completed")
                ? List.of(
                        ended(recent, harness.clock.instant().minus(Duration.ofMinutes(50))),
                        ended(old, harness.clock.instant().minus(Duration.ofHours(2))))
                : List.of());
        RunWatcher watcher = new RunWatcher(
                harness.letta,
                registry,
                List.of(),
                List.of(),
                Duration.ofSeconds(1),
                Duration.ofHours(1),
                harness.clock,
                d -> {},
                () -> false,
                fatal::add);

        assertTrue(watcher.pollOnce());
        assertTrue(watcher.pollOnce());
        assertTrue(registry.awaitIdle(Duration.ofSeconds(10)));

        assertEquals(SessionHarness.expectedChunks("01-simple-reply"), harness.log.chunks(recent));
        assertEquals(
                "catch_up",
                dev.lsr.recorder.testing.RecordingAppender.value(
                                harness.log.records(recent).getFirst(),
                                dev.lsr.chunklog.LifecycleEvent.RunAttached.class)
                        .mode());
        assertTrue(harness.log.records(old).isEmpty(), "older than the window");
        assertEquals(
                1,
                harness.log
                        .ofType(recent, dev.lsr.chunklog.RecordType.RUN_ATTACHED)
                        .size(),
                "a later round's sweep of ended runs does not attach it again");
    }

    @Test
    void aRunThatStartsAndEndsBetweenTwoRoundsIsAttachedAtTheNextRound() throws Exception {
        java.util.concurrent.atomic.AtomicReference<List<dev.lsr.recorder.internal.letta.Run>> ended =
                new java.util.concurrent.atomic.AtomicReference<>(List.of());
        harness.letta.onList(query -> query.statuses().contains("completed") ? ended.get() : List.of());
        RunWatcher watcher = watcher(List.of(), List.of());
        assertTrue(watcher.pollOnce());

        String shortRun = harness.letta.serve("04-error-mid-run", "failed");
        String beforeTheWatcher = harness.letta.serve("01-simple-reply", "completed");
        ended.set(List.of(
                ended(shortRun, harness.clock.instant()),
                ended(
                        beforeTheWatcher,
                        harness.clock
                                .instant()
                                .minus(RunWatcher.ENDED_RUN_MARGIN)
                                .minusSeconds(5))));
        harness.clock.advance(Duration.ofSeconds(RunWatcher.SWEEP_EVERY_POLLS));
        assertTrue(watcher.pollOnce());
        assertTrue(watcher.pollOnce());
        assertTrue(registry.awaitIdle(Duration.ofSeconds(10)));

        assertEquals(SessionHarness.expectedChunks("04-error-mid-run"), harness.log.chunks(shortRun));
        assertEquals(
                "watch_ended",
                dev.lsr.recorder.testing.RecordingAppender.value(
                                harness.log.records(shortRun).getFirst(),
                                dev.lsr.chunklog.LifecycleEvent.RunAttached.class)
                        .mode());
        assertEquals(
                1,
                harness.log
                        .ofType(shortRun, dev.lsr.chunklog.RecordType.RUN_ATTACHED)
                        .size());
        assertTrue(
                harness.log.records(beforeTheWatcher).isEmpty(),
                "ended before the watcher started, no catch-up window");
    }

    /**
     * The sweep window is in Letta's time, which the runs' created_at are in: with this machine's clock five minutes
     * ahead of Letta's (its answers' Date header says so), a run that started and ended between two rounds is still
     * found. Taken on this machine's clock, the window started after it.
     */
    @Test
    void aShortRunIsSweptWhenThisMachinesClockRunsAheadOfLettas() throws Exception {
        Duration lettaBehind = Duration.ofMinutes(5);
        harness.letta.serverClockAhead(lettaBehind.negated());
        java.util.concurrent.atomic.AtomicReference<List<dev.lsr.recorder.internal.letta.Run>> ended =
                new java.util.concurrent.atomic.AtomicReference<>(List.of());
        harness.letta.onList(query -> query.statuses().contains("completed") ? ended.get() : List.of());
        RunWatcher watcher = watcher(List.of(), List.of());
        assertTrue(watcher.pollOnce());

        harness.clock.advance(Duration.ofSeconds(2));
        String shortRun = harness.letta.serve("04-error-mid-run", "failed");
        ended.set(List.of(ended(shortRun, harness.clock.instant().minus(lettaBehind))));
        harness.clock.advance(Duration.ofSeconds(RunWatcher.SWEEP_EVERY_POLLS));
        for (int i = 0; i < RunWatcher.SWEEP_EVERY_POLLS + 1; i++) {
            assertTrue(watcher.pollOnce());
        }
        assertTrue(registry.awaitIdle(Duration.ofSeconds(10)));

        assertEquals(SessionHarness.expectedChunks("04-error-mid-run"), harness.log.chunks(shortRun));
    }

    @Test
    void endedRunsAreSweptAtTheFirstRoundAndThenOncePerSweepIntervalOnly() {
        harness.letta.onList(query -> List.of());
        RunWatcher watcher = new RunWatcher(
                harness.letta,
                registry,
                List.of(),
                List.of(),
                Duration.ofSeconds(1),
                Duration.ofHours(1),
                harness.clock,
                d -> {},
                () -> false,
                fatal::add);
        for (int round = 0; round < 2 * RunWatcher.SWEEP_EVERY_POLLS; round++) {
            assertTrue(watcher.pollOnce());
            harness.clock.advance(Duration.ofSeconds(1));
        }
        List<String> sweeps = harness.letta.requests().stream()
                .filter(r -> r.startsWith("LIST") && r.contains("completed"))
                .toList();
        assertEquals(2, sweeps.size(), String.valueOf(sweeps));
        assertTrue(sweeps.get(0).contains("limit=1000"), "the catch-up takes full pages: " + sweeps.get(0));
        assertTrue(
                sweeps.get(1).contains("limit=" + RunWatcher.SWEEP_PAGE),
                "later sweeps take small pages: " + sweeps.get(1));
        assertEquals(
                2 * RunWatcher.SWEEP_EVERY_POLLS,
                harness.letta.requests().stream()
                        .filter(r -> r.startsWith("LIST") && r.contains("running"))
                        .count());
    }

    @Test
    void aThrottledListingWaitsForRetryAfterAndAFailingOneBacksOff() {
        java.util.concurrent.atomic.AtomicReference<LettaHttpException> failure =
                new java.util.concurrent.atomic.AtomicReference<>(
                        new LettaHttpException("GET /v1/runs/", 429, "slow down", null, Duration.ofSeconds(45)));
        RunWatcher watcher = new RunWatcher(
                new FailingList(harness.letta, failure::get),
                registry,
                List.of(),
                List.of(),
                Duration.ofSeconds(1),
                Duration.ZERO,
                harness.clock,
                d -> {},
                () -> false,
                fatal::add);

        assertTrue(watcher.pollOnce());
        assertEquals(Duration.ofSeconds(45), watcher.nextDelay(), "the server's Retry-After");

        failure.set(new LettaHttpException("GET /v1/runs/", 503, "down", null, null));
        Duration previous = Duration.ZERO;
        for (int i = 0; i < 12; i++) {
            assertTrue(watcher.pollOnce());
            assertTrue(
                    watcher.nextDelay().compareTo(Duration.ofSeconds(1)) >= 0, "never sooner than the poll interval");
            assertTrue(watcher.nextDelay().compareTo(RunWatcher.MAX_BACKOFF) <= 0, "bounded: " + watcher.nextDelay());
            previous = watcher.nextDelay();
        }
        assertTrue(previous.compareTo(Duration.ofSeconds(30)) >= 0, "backed off: " + previous);

        failure.set(null);
        assertTrue(watcher.pollOnce());
        assertEquals(Duration.ofSeconds(1), watcher.nextDelay(), "back to the poll interval once listing works");
        assertTrue(fatal.isEmpty());
    }

    private static dev.lsr.recorder.internal.letta.Run ended(String runId, java.time.Instant createdAt) {
        return dev.lsr.recorder.internal.letta.Run.fromJson(dev.lsr.chunklog.Json.MAPPER
                .createObjectNode()
                .put("id", runId)
                .put("status", "completed")
                .put("created_at", createdAt.toString())
                .put("background", true));
    }

    @Test
    void filtersBecomeOneQueryEachForActiveBackgroundRuns() {
        List<RunQuery> queries = RunWatcher.queries(List.of("agent-1", "agent-2"), List.of("conv-1"));
        assertEquals(
                List.of(
                        RunQuery.activeBackground("agent-1", null),
                        RunQuery.activeBackground("agent-2", null),
                        RunQuery.activeBackground(null, "conv-1")),
                queries);
        assertEquals(List.of(RunQuery.activeBackground(null, null)), RunWatcher.queries(List.of(), List.of()));
        assertEquals(List.of("created", "running"), queries.getFirst().statuses());
        assertEquals(Boolean.TRUE, queries.getFirst().background());
    }

    @Test
    void aFailingPollIsSurvived() {
        RunWatcher watcher = new RunWatcher(
                new FailingList(harness.letta, () -> new LettaHttpException("GET /v1/runs/", 503, "no", null, null)),
                registry,
                List.of(),
                List.of(),
                Duration.ofSeconds(1),
                Duration.ZERO,
                harness.clock,
                d -> {},
                () -> false,
                fatal::add);
        assertTrue(watcher.pollOnce());
        assertTrue(watcher.pollOnce());
        assertTrue(fatal.isEmpty());
    }

    @Test
    void rejectedCredentialsStopTheRecorder() {
        RunWatcher watcher = new RunWatcher(
                new FailingList(harness.letta, () -> new LettaHttpException("GET /v1/runs/", 401, "no", null, null)),
                registry,
                List.of(),
                List.of(),
                Duration.ofSeconds(1),
                Duration.ZERO,
                harness.clock,
                d -> {},
                () -> false,
                fatal::add);
        assertFalse(watcher.pollOnce());
        assertInstanceOf(RecorderFailure.CredentialsRejected.class, fatal.getFirst());
        assertTrue(fatal.getFirst().message().contains("401"));
    }

    @Test
    void aRunHandedToTheFleetIsOfferedAgainWhileTheListingStillShowsItActive() {
        // a fleet member that owns none of the runs: every run it finds goes to the intake topic
        FleetRouter elsewhere = FleetRouter.owningNothing();
        List<String> offers = elsewhere.offers;
        Duration interval = Duration.ofSeconds(1);
        RunRegistry fleetRegistry = elsewhere.registry(harness.context(), fatal::add, interval);
        harness.letta.onList(query -> List.of(FakeLetta.run("run-elsewhere", "running")));
        RunWatcher watcher = fleetWatcher(fleetRegistry, interval, new ActiveListing());

        assertTrue(watcher.pollOnce());
        assertEquals(List.of("run-elsewhere watch"), offers, "offered at the first round");
        for (int i = 1; i < RunWatcher.REOFFER_EVERY_POLLS; i++) {
            harness.clock.advance(interval);
            assertTrue(watcher.pollOnce());
        }
        assertEquals(1, offers.size(), "not offered again at every round");

        // the offer may have been lost in a hand-over (or the owner's recording failed): the run is still
        // active, so it is offered again, once per REOFFER_EVERY_POLLS rounds
        harness.clock.advance(interval);
        assertTrue(watcher.pollOnce());
        assertEquals(2, offers.size(), "offered again once the last offer is REOFFER_EVERY_POLLS rounds old");
        assertTrue(watcher.pollOnce());
        assertEquals(2, offers.size());
        assertTrue(fatal.isEmpty());
    }

    @Test
    void aRunHandedToTheFleetIsOfferedOnceMoreWhenItLeavesTheActiveListing() {
        // a fleet member that owns none of the runs: every run it finds goes to the intake topic
        FleetRouter elsewhere = FleetRouter.owningNothing();
        List<String> offers = elsewhere.offers;
        Duration interval = Duration.ofSeconds(1);
        RunRegistry fleetRegistry = elsewhere.registry(harness.context(), fatal::add, interval);
        java.util.concurrent.atomic.AtomicBoolean active = new java.util.concurrent.atomic.AtomicBoolean(true);
        harness.letta.onList(query -> active.get() && query.statuses().contains("running")
                ? List.of(FakeLetta.run("run-short", "running"))
                : List.of());
        RunWatcher watcher = fleetWatcher(fleetRegistry, interval, new ActiveListing());

        assertTrue(watcher.pollOnce());
        harness.clock.advance(interval);
        assertTrue(watcher.pollOnce());
        assertEquals(List.of("run-short watch"), offers, "offered once while active");

        // it ended before the re-offer interval: if its offer was lost, no later round would list it (the sweeps
        // of ended runs skip a run offered lately, and look back only so far), so it is offered once more now
        active.set(false);
        harness.clock.advance(interval);
        assertTrue(watcher.pollOnce());
        assertEquals(List.of("run-short watch", "run-short watch"), offers);
        harness.clock.advance(interval);
        assertTrue(watcher.pollOnce());
        assertEquals(2, offers.size(), "once");
    }

    @Test
    void aRunThatEndedWhileThisMemberDidNotWatchIsOfferedOnceMoreByItsNextWatcher() {
        // a fleet member that owns none of the runs: every run it finds goes to the intake topic
        FleetRouter elsewhere = FleetRouter.owningNothing();
        List<String> offers = elsewhere.offers;
        Duration interval = Duration.ofSeconds(1);
        RunRegistry fleetRegistry = elsewhere.registry(harness.context(), fatal::add, interval);
        java.util.concurrent.atomic.AtomicBoolean active = new java.util.concurrent.atomic.AtomicBoolean(true);
        harness.letta.onList(query -> active.get() && query.statuses().contains("running")
                ? List.of(FakeLetta.run("run-short", "running"))
                : List.of());
        ActiveListing activeRuns = new ActiveListing();
        java.util.function.Supplier<RunWatcher> watchers = () -> fleetWatcher(fleetRegistry, interval, activeRuns);

        assertTrue(watchers.get().pollOnce());
        assertEquals(List.of("run-short watch"), offers);
        // partition 0 goes away and comes back: a new watcher; the run ended meanwhile
        active.set(false);
        harness.clock.advance(interval);
        assertTrue(watchers.get().pollOnce());
        assertEquals(List.of("run-short watch", "run-short watch"), offers, "offered once more at its end");
    }

    /** A fleet member's watcher: all runs, no catch-up, on the harness's clock, remembering in {@code activeRuns}. */
    private RunWatcher fleetWatcher(RunRegistry fleetRegistry, Duration interval, ActiveListing activeRuns) {
        return new RunWatcher(
                harness.letta,
                fleetRegistry,
                List.of(),
                List.of(),
                interval,
                Duration.ZERO,
                harness.clock,
                d -> {},
                () -> false,
                fatal::add,
                activeRuns);
    }

    private RunWatcher watcher(List<String> agents, List<String> conversations) {
        return new RunWatcher(
                harness.letta,
                registry,
                agents,
                conversations,
                Duration.ofSeconds(1),
                Duration.ZERO,
                harness.clock,
                d -> {},
                () -> false,
                fatal::add);
    }

    /** The fake, except that listing runs fails with the given error (while there is one). */
    private record FailingList(FakeLetta delegate, java.util.function.Supplier<LettaHttpException> failure)
            implements dev.lsr.recorder.internal.letta.LettaApi {
        @Override
        public dev.lsr.recorder.internal.letta.Run getRun(String runId) throws java.io.IOException {
            return delegate.getRun(runId);
        }

        @Override
        public List<dev.lsr.recorder.internal.letta.Run> listRuns(RunQuery query) throws java.io.IOException {
            LettaHttpException error = failure.get();
            if (error != null) {
                throw error;
            }
            return delegate.listRuns(query);
        }

        @Override
        public dev.lsr.recorder.internal.letta.SseStream streamRun(String runId, long startingAfter)
                throws java.io.IOException {
            return delegate.streamRun(runId, startingAfter);
        }

        @Override
        public dev.lsr.recorder.internal.letta.SseStream streamByOtid(dev.lsr.recorder.SendMessage message)
                throws java.io.IOException {
            return delegate.streamByOtid(message);
        }

        @Override
        public dev.lsr.recorder.internal.letta.SseStream send(dev.lsr.recorder.SendMessage message)
                throws java.io.IOException {
            return delegate.send(message);
        }
    }
}
