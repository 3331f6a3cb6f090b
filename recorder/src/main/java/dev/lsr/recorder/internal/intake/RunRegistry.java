package dev.lsr.recorder.internal.intake;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.LifecycleEvent.RunResumed;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RunState;
import dev.lsr.kernel.Backoff;
import dev.lsr.recorder.RecorderFailure;
import dev.lsr.recorder.RunOutcome;
import dev.lsr.recorder.SendMessage;
import dev.lsr.recorder.internal.drain.AppenderClosedException;
import dev.lsr.recorder.internal.drain.RunCursor;
import dev.lsr.recorder.internal.letta.Run;
import dev.lsr.recorder.internal.run.CredentialsRejectedException;
import dev.lsr.recorder.internal.run.FirstRefusal;
import dev.lsr.recorder.internal.run.RunSession;
import dev.lsr.recorder.internal.run.SessionContext;
import dev.lsr.recorder.log.PartitionLostException;
import dev.lsr.recorder.log.PartitionStoppedException;
import dev.lsr.recorder.log.UnreadableCheckpointException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The runs being recorded: one virtual thread per run, at most one recording per run id, the run id
 * in the MDC for the thread's whole life. Every intake (attach, watch, restore, and a send's response,
 * 409 "busy" answer, otid recovery or discovery) claims a run through one rule ({@link #sessionFor}):
 * a run whose recording ended is skipped; a run the log holds as active, or one whose session failed
 * after appending, is continued from there (replayed frames at or below that position are dropped);
 * any other run starts fresh.
 */
public final class RunRegistry {

    private static final Logger log = LoggerFactory.getLogger(RunRegistry.class);
    /** The MDC key that carries the run id. */
    public static final String MDC_RUN_ID = "run_id";

    private final SessionContext ctx;
    private final CheckpointLookup checkpoints;
    private final RunObjectAsk runObjects;
    private final Consumer<RecorderFailure> onFatal;
    private final RunRouter router;
    private final RunStops stops;
    /** The thread recording each run now, so a fleet member can stop the runs of a partition it gives up. */
    private final ConcurrentHashMap<String, Thread> runThreads = new ConcurrentHashMap<>();
    /** Runs handed to the fleet lately, so the watcher does not offer them every round. */
    private final RecentOffers offered;

    private final ConcurrentHashMap<String, CompletableFuture<RunOutcome>> active = new ConcurrentHashMap<>();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final EndedRuns ended = new EndedRuns(100_000);
    /** How each run being recorded was found, so a run stopped unfinished is handed to the fleet as such. */
    private final ConcurrentHashMap<String, String> modes = new ConcurrentHashMap<>();
    /** The cursors of the sessions now running, so a failed one tells where it stopped. */
    private final ConcurrentHashMap<String, RunCursor> cursors = new ConcurrentHashMap<>();
    /**
     * Where failed sessions stopped: the last position they appended, which the committed checkpoint
     * may not show yet (the transaction holding it commits later), so a re-attach continues after it.
     */
    private final ConcurrentHashMap<String, Resumable> failed = new ConcurrentHashMap<>();

    /**
     * Runs whose last session failed, with how each was found: the watcher's next round attaches such a run again,
     * but if its partition is given up first it is handed to the fleet ({@link #giveUp}).
     */
    private final ConcurrentHashMap<String, String> failedSessions = new ConcurrentHashMap<>();

    /**
     * Runs whose sessions failed in a row, and when the watcher may attach each again: a run that fails every time
     * is retried with a growing pause, not at every round, and its failure is logged in full once.
     */
    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

    /** A run the log holds up to {@code position}, not ended. */
    private record Resumable(String agentId, String conversationId, Position position) {}

    /**
     * Sessions of a run failed {@code count} times in a row; the watcher leaves it alone until {@code retryAt}, a
     * {@code pause} after the last failure (doubling from 1 s, at most 5 min).
     */
    private record Failures(int count, Backoff pause, Instant retryAt) {

        static Failures first(Instant now) {
            return after(0, Backoff.doubling(Duration.ofSeconds(1), Duration.ofMinutes(5)), now);
        }

        Failures next(Instant now) {
            return after(count, pause.next(), now);
        }

        private static Failures after(int before, Backoff pause, Instant now) {
            return new Failures(before + 1, pause, now.plus(pause.base()));
        }
    }

    /**
     * @param onFatal told when a run hits a failure the whole recorder cannot continue after
     */
    public RunRegistry(SessionContext ctx, CheckpointLookup checkpoints, Consumer<RecorderFailure> onFatal) {
        // a recorder alone offers nothing to a fleet
        this(ctx, checkpoints, onFatal, RunRouter.ALONE, new RunStops(), Duration.ZERO);
    }

    /**
     * @param router       which runs this recorder records (in a fleet: those of its partitions)
     * @param stops        the threads asked to stop while the recorder goes on; the sessions' context reads it
     * @param reofferAfter how long a run handed to the fleet counts as known; after that the watcher, if it
     *                     still lists the run as active, offers it again ({@link RunWatcher#reofferAfter})
     */
    public RunRegistry(
            SessionContext ctx,
            CheckpointLookup checkpoints,
            Consumer<RecorderFailure> onFatal,
            RunRouter router,
            RunStops stops,
            Duration reofferAfter) {
        this.ctx = ctx.appendingThrough(new StoppedRunsAppendNothing(ctx.appender(), stops));
        this.checkpoints = checkpoints;
        this.runObjects = new RunObjectAsk(this.ctx);
        this.onFatal = onFatal;
        this.router = router;
        this.stops = stops;
        this.offered = new RecentOffers(100_000, reofferAfter);
    }

    /**
     * True when the run is being recorded, its recording ended lately, or it was handed to the fleet less than
     * the re-offer interval ago.
     */
    public boolean isKnown(String runId) {
        return active.containsKey(runId)
                || ended.contains(runId)
                || offered.isRecent(runId, ctx.now())
                || waitsToBeRetried(runId);
    }

    private boolean waitsToBeRetried(String runId) {
        Failures failed = failures.get(runId);
        return failed != null && ctx.now().isBefore(failed.retryAt());
    }

    /**
     * A run offered to this fleet member through the intake topic: recorded when its partition is still this
     * member's, else left to the member that owns it now (never offered again from here: no ping-pong).
     */
    public CompletableFuture<RunOutcome> attachOffered(String runId, String mode) {
        if (!router.owns(runId)) {
            log.debug("Run {}: offered to the fleet, but its partition is no longer this member's", runId);
            return CompletableFuture.completedFuture(forwarded(runId));
        }
        if (ctx.isStopping()) {
            // this member hands its runs over as it stops and reads those offers itself until it leaves the group:
            // the offer stays in the intake topic for the partition's next owner
            log.debug("Run {}: offered while this recorder stops; left to the partition's next owner", runId);
            return CompletableFuture.completedFuture(
                    new RunOutcome(runId, RunOutcome.Kind.INTERRUPTED, "the recorder is stopping"));
        }
        return claim(
                runId,
                future -> start("run-" + runId, runId, () -> drainSession(runId, null, mode, null, null), future));
    }

    /**
     * Stops the recordings of the runs {@code runIds} accepts (their partitions are given up) and waits for
     * them, at most {@code timeout}. Each leaves its run where it is, active in its checkpoint.
     *
     * @return false when some did not stop in time
     */
    private boolean stopRuns(Predicate<String> runIds, Duration timeout) throws InterruptedException {
        List<Thread> stopping = runThreads.entrySet().stream()
                .filter(e -> runIds.test(e.getKey()))
                .map(Map.Entry::getValue)
                .toList();
        stopping.forEach(thread -> {
            stops.add(thread);
            thread.interrupt();
        });
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean all = true;
        for (Thread thread : stopping) {
            long left = deadline - System.nanoTime();
            if (left > 0 && thread.join(Duration.ofNanos(left))) {
                stops.remove(thread);
            } else {
                all = false;
            }
        }
        return all;
    }

    /**
     * Gives up the runs {@code runIds} accepts (their partitions go): stops their recordings, waits for them at most
     * {@code timeout}, then forgets what this recorder remembers of them ({@link #forget}). Forgotten here, not only
     * when the partition is taken again: between the moment a take makes the partition this member's and the
     * moment it forgets, a watcher's attach would continue a run after where a failed session of the earlier hold
     * stopped, a position the final commit of that hold may not have kept. A run stopped unfinished is handed to
     * the fleet as it stops ({@link #release}); so is, here, a run whose session had failed, which this member's
     * watcher would have attached again and now no member would.
     *
     * @return false when some did not stop in time
     */
    public boolean giveUp(Predicate<String> runIds, Duration timeout) throws InterruptedException {
        boolean stopped = stopRuns(runIds, timeout);
        Map<String, String> failedHere = takeFailedSessions(runIds);
        forget(runIds);
        failedHere.forEach((runId, mode) -> {
            log.info("Run {}: its session had failed; handed to the fleet with its partition", runId);
            handOver(runId, mode);
        });
        return stopped;
    }

    /**
     * Takes out the runs {@code runIds} accepts whose last session failed, with how each was found: nothing attaches
     * them again here (their partitions go, or a recorder alone's just came back), so the caller hands them on.
     */
    public Map<String, String> takeFailedSessions(Predicate<String> runIds) {
        Map<String, String> taken = new TreeMap<>();
        failedSessions.forEach((runId, mode) -> {
            if (runIds.test(runId) && failedSessions.remove(runId, mode)) {
                taken.put(runId, mode);
            }
        });
        return taken;
    }

    /**
     * Forgets what this recorder remembers of the runs {@code runIds} accepts (ended lately, where a failed
     * session stopped): their partition was just taken, and only its committed checkpoints tell the truth now
     * (a position appended but never committed before the partition moved must be recorded again).
     */
    public void forget(Predicate<String> runIds) {
        ended.forget(runIds);
        failed.keySet().removeIf(runIds);
        failedSessions.keySet().removeIf(runIds);
        failures.keySet().removeIf(runIds);
    }

    public int activeCount() {
        return active.size();
    }

    /** True when no recording thread (run or send) is alive. */
    public boolean isIdle() {
        return threads.isEmpty();
    }

    /** Records a run by id ({@code run}: its Run object when already known, else null). */
    public CompletableFuture<RunOutcome> attach(String runId, Run run, String mode) {
        if (!router.owns(runId)) {
            return CompletableFuture.completedFuture(forward(runId, mode));
        }
        return claim(
                runId,
                future -> start("run-" + runId, runId, () -> drainSession(runId, run, mode, null, null), future));
    }

    /**
     * A run this member handed to the fleet, which Letta no longer lists as active: offered once more (found by
     * {@code watch}). If its offer was lost, no later listing would show it: the sweeps of ended runs skip a run
     * offered lately and look back only so far. Its owner records a run once however often it is offered.
     */
    public void offerOnceMoreAtItsEnd(String runId) {
        String failedMode = failedSessions.get(runId);
        if (failedMode != null) {
            // its last session failed and no later listing will show it: once more, to record its end
            attach(runId, null, failedMode);
        } else if (offered.wasOffered(runId)) {
            attach(runId, null, "watch");
        }
    }

    /**
     * Continues a run the log holds as active (after a restart, or a fleet member's take of its partition). A failed
     * session of it is attached once more at the run's end ({@link #offerOnceMoreAtItsEnd}), as a watcher's. A take
     * may find a session of the run from the partition's earlier hold still stopping (it did not stop in time when
     * the partition was given up, and appends nothing more: {@link StoppedRunsAppendNothing}): when that session
     * ends stopped, the run is restored once more, if the partition is still this member's and the recorder goes on.
     * Decided once that session's outcome is known (on a thread of its own: the stopped session's thread counts as
     * stopping), so a session that ends between the claim and the decision is no different.
     */
    public CompletableFuture<RunOutcome> restore(Checkpoint checkpoint) {
        String runId = checkpoint.runId();
        CompletableFuture<RunOutcome> mine = new CompletableFuture<>();
        CompletableFuture<RunOutcome> other = claimOrOther(runId, mine);
        if (other == null) {
            startRestored(checkpoint, mine);
            return mine;
        }
        return other.thenComposeAsync(
                outcome -> outcome.kind() == RunOutcome.Kind.INTERRUPTED && router.owns(runId) && !ctx.isStopping()
                        ? claim(runId, future -> startRestored(checkpoint, future))
                        : CompletableFuture.completedFuture(outcome),
                task -> Thread.ofVirtual().name("restore-" + runId).start(task));
    }

    private void startRestored(Checkpoint checkpoint, CompletableFuture<RunOutcome> future) {
        String runId = checkpoint.runId();
        start(
                "run-" + runId,
                runId,
                () -> track(RunSession.restored(
                                ctx,
                                runId,
                                checkpoint.agentId(),
                                checkpoint.conversationId(),
                                checkpoint.lastPosition()))
                        .drain(),
                future);
    }

    /** Sends a message and records its run. */
    public CompletableFuture<RunOutcome> send(SendMessage message) {
        CompletableFuture<RunOutcome> future = new CompletableFuture<>();
        start("send-" + message.otid(), null, () -> new SendSession(ctx, this, message).run(), future);
        return future;
    }

    /**
     * Records a run on the calling thread, which must be a recording thread (used by a send once it
     * knows its run id). Returns the outcome of the recording that owns the run, or
     * {@link RunOutcome.Kind#ALREADY_RECORDED}.
     */
    RunOutcome drainHere(String runId, Run run, String mode) {
        CompletableFuture<RunOutcome> mine = new CompletableFuture<>();
        Optional<CompletableFuture<RunOutcome>> other = tryClaimHere(runId, mine);
        if (other.isPresent()) {
            return other.get().join();
        }
        RunOutcome outcome = guarded(runId, () -> drainSession(runId, run, mode, null, null));
        release(runId, outcome, mine);
        return outcome;
    }

    /**
     * Claims a run for a session that already started on this thread: empty when claimed; else the
     * outcome of the recording that owns it, or a done ALREADY_RECORDED when its recording ended.
     */
    Optional<CompletableFuture<RunOutcome>> tryClaimHere(String runId, CompletableFuture<RunOutcome> mine) {
        if (!router.owns(runId)) {
            return Optional.of(CompletableFuture.completedFuture(forward(runId, "send")));
        }
        CompletableFuture<RunOutcome> other = claimOrOther(runId, mine);
        if (other != null) {
            return Optional.of(other);
        }
        runThreads.put(runId, Thread.currentThread());
        if (leftSinceTheOwnershipCheck(runId)) {
            runThreads.remove(runId, Thread.currentThread());
            active.remove(runId, mine);
            mine.complete(forward(runId, "send"));
            return Optional.of(mine);
        }
        MDC.put(MDC_RUN_ID, runId);
        return Optional.empty();
    }

    /**
     * The session for a run just claimed, by the one rule of every intake: empty when the log holds the
     * run as ended; continuing after the furthest position known (the committed checkpoint of an active
     * run, or where a failed session of this recorder stopped); else fresh, unless Letta says the run ended before
     * the log's window ({@link EndedLongAgoException}). {@code agentId} and {@code conversationId} stand in when the
     * Run object is not known.
     */
    Optional<RunSession> sessionFor(String runId, Run run, String mode, String agentId, String conversationId) {
        modes.put(runId, mode);
        failedSessions.remove(runId);
        Optional<Checkpoint> checkpoint = checkpoints.checkpoint(runId);
        if (checkpoint.isPresent() && checkpoint.get().state().isTerminal()) {
            log.debug("Run {}: already recorded ({})", runId, checkpoint.get().state());
            return Optional.empty();
        }
        Resumable from = furthest(
                checkpoint.map(c -> new Resumable(c.agentId(), c.conversationId(), c.lastPosition())),
                Optional.ofNullable(failed.get(runId)));
        if (from != null) {
            // restart: the log holds it from an earlier recorder; reattach: a failed session of this one went
            // further
            String cause = checkpoint.isPresent()
                            && !from.position().isAfter(checkpoint.get().lastPosition())
                    ? RunResumed.RESTART
                    : RunResumed.REATTACH;
            return Optional.of(track(
                    RunSession.continued(ctx, runId, from.agentId(), from.conversationId(), from.position(), cause)));
        }
        Run known = run != null ? run : tryGetRun(runId);
        Optional<EndedLongAgoException> endedLongAgo = endedBeforeTheWindow(runId, known);
        if (endedLongAgo.isPresent()) {
            throw endedLongAgo.get();
        }
        // without the Run object, a refusal of the stream may be of a run recorded before the window; a send's run is
        // new (it was just made), a busy one holds its conversation now
        boolean current = "send".equals(mode) || "busy".equals(mode);
        FirstRefusal firstRefusal = known == null && checkpoints.forgetsEndedRuns() && !current
                ? this::refusedWithoutItsRunObject
                : FirstRefusal.RECORD;
        return Optional.of(track(RunSession.fresh(ctx, runId, known, mode, agentId, conversationId, firstRefusal)));
    }

    /**
     * Letta refused a run asked for by id for good (410, 404) before anything of it was appended, and the Run GET had
     * failed: a stream that answers is of a run younger than the log's window, but a refused one may be of a run
     * recorded before it, whose checkpoint the log removed. Only the run's end time tells, so this waits for Letta to
     * show the Run object ({@link RunObjectAsk}): nothing appended for a run that ended before the window, the
     * refusal recorded otherwise. The stream is gone either way, so waiting loses nothing.
     */
    private Optional<RunOutcome> refusedWithoutItsRunObject(String runId) {
        Run shown;
        try {
            shown = runObjects.runOnceShown(runId);
        } catch (RunObjectAsk.StoppedWaiting e) {
            return Optional.of(new RunOutcome(runId, RunOutcome.Kind.INTERRUPTED, e.getMessage()));
        }
        return endedBeforeTheWindow(runId, shown).map(e -> endedLongAgo(runId, e));
    }

    /** Letta's Run object says the run ended before the log's window (its checkpoint may be gone): why, else empty. */
    private Optional<EndedLongAgoException> endedBeforeTheWindow(String runId, Run run) {
        Instant endedAt = run != null ? run.endedAt() : null;
        return endedAt != null && checkpoints.mayHaveForgotten(endedAt, ctx.now())
                ? Optional.of(new EndedLongAgoException(runId, endedAt, ctx.now()))
                : Optional.empty();
    }

    /** Hands a run whose partition another fleet member owns to the fleet. */
    private RunOutcome forward(String runId, String mode) {
        boolean first = offered.add(runId, ctx.now());
        router.offer(runId, mode);
        if (first) {
            log.info("Run {}: {}", runId, router.offeredTo());
        } else {
            log.debug("Run {}: still active, {} again", runId, router.offeredTo());
        }
        return forwarded(runId);
    }

    private static RunOutcome forwarded(String runId) {
        return new RunOutcome(runId, RunOutcome.Kind.FORWARDED, "recorded by the fleet member that owns its partition");
    }

    /** The outcome of a claim whose run ended before the log's window: logged once, nothing appended. */
    static RunOutcome endedLongAgo(String runId, EndedLongAgoException e) {
        log.warn(e.getMessage());
        return new RunOutcome(runId, RunOutcome.Kind.ENDED_LONG_AGO, e.getMessage());
    }

    /** The outcome of a claim that found the run recorded already. */
    static RunOutcome alreadyRecorded(String runId, String why) {
        return new RunOutcome(runId, RunOutcome.Kind.ALREADY_RECORDED, why);
    }

    /**
     * Ends a claim made with {@link #tryClaimHere}. The run joins the ended set before it leaves the
     * active map, so a claim never sees it in neither (and starts it again).
     */
    void release(String runId, RunOutcome outcome, CompletableFuture<RunOutcome> mine) {
        runThreads.remove(runId, Thread.currentThread());
        String mode = modes.remove(runId);
        RunCursor cursor = cursors.remove(runId);
        if (outcome.kind() == RunOutcome.Kind.FAILED
                && cursor != null
                && cursor.lastAppended().isAfter(Position.START)) {
            failed.put(runId, new Resumable(cursor.agentId(), cursor.conversationId(), cursor.lastAppended()));
        }
        if (outcome.kind() == RunOutcome.Kind.FAILED) {
            // a restored run has no intake mode: it is attached once more as a watcher would
            failedSessions.put(runId, mode != null ? mode : "watch");
        }
        if (outcome.kind() == RunOutcome.Kind.FAILED) {
            Instant now = ctx.now();
            failures.compute(runId, (id, before) -> before == null ? Failures.first(now) : before.next(now));
        }
        if (outcome.kind() != RunOutcome.Kind.INTERRUPTED
                && outcome.kind() != RunOutcome.Kind.FAILED
                && outcome.kind() != RunOutcome.Kind.FORWARDED) {
            ended.add(runId);
            failed.remove(runId);
            failedSessions.remove(runId);
            failures.remove(runId);
        }
        active.remove(runId, mine);
        mine.complete(outcome);
        if (outcome.kind() == RunOutcome.Kind.INTERRUPTED && mode != null) {
            handOver(runId, mode);
        }
    }

    /**
     * Hands a run stopped unfinished (or whose session failed) to the fleet. A run stopped before its first commit has no checkpoint for its
     * partition's next owner to continue it from, and the watcher finds an ended run only once, so the next owner
     * is told (an offer of a run its checkpoints hold costs that member a lookup). On the run's own thread, which
     * the stop interrupted, or the thread giving the partition up: the offer must not fail for an interrupt, and
     * never takes the thread down.
     */
    private void handOver(String runId, String mode) {
        boolean interrupted = Thread.interrupted();
        try {
            router.handOver(runId, mode);
        } catch (RuntimeException e) {
            log.warn("Run {}: left unfinished, and could not be handed to the fleet: {}", runId, e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs {@code drain}, turning failures into outcomes: fatal ones are reported, others stay with the run. A run
     * whose drain failed is no longer recorded here: the listener hears that its recording failed (a stop or a
     * hand-over: that it ended {@code ACTIVE}), as it hears the run's own ending, or the active-runs gauge kept every
     * failed or handed-over run.
     */
    RunOutcome guarded(String runId, Supplier<RunOutcome> drain) {
        try {
            return drain.get();
        } catch (Exception e) {
            RunOutcome outcome = failedOutcome(runId, e);
            if (runId != null && outcome.kind() == RunOutcome.Kind.FAILED) {
                ctx.listener().recordingFailed(runId);
            } else if (runId != null) {
                ctx.listener().runEnded(runId, RunState.ACTIVE);
            }
            return outcome;
        }
    }

    private RunOutcome failedOutcome(String runId, Exception failure) {
        try {
            throw failure;
        } catch (PartitionLostException e) {
            log.info("Run {}: left to whoever holds its partition next ({})", runId, e.getMessage());
            return new RunOutcome(runId, RunOutcome.Kind.INTERRUPTED, "its partition moved to another fleet member");
        } catch (AppenderClosedException e) {
            if (stops.current()) {
                // asked to stop (its partition given up) while an append waited: that is the stop, not a failure
                return new RunOutcome(runId, RunOutcome.Kind.INTERRUPTED, "its partition was given up");
            }
            onFatal.accept(
                    e.fenced()
                            ? new RecorderFailure.Fenced(e.getMessage(), e.getCause())
                            : new RecorderFailure.LogFailed(e.getMessage(), e.getCause()));
            return new RunOutcome(runId, RunOutcome.Kind.FAILED, e.getMessage());
        } catch (CredentialsRejectedException e) {
            onFatal.accept(new RecorderFailure.CredentialsRejected(e.getMessage(), null));
            return new RunOutcome(runId, RunOutcome.Kind.FAILED, e.getMessage());
        } catch (Exception e) {
            // Exception, not RuntimeException: a checked exception thrown undeclared (a Kotlin library) must not kill a
            // run thread, which would keep its claim on the run for good. OkHttp's InterruptedException of a stop that
            // interrupts a connect is an IOException by now (OkHttpLettaApi), and the run's next wait sees the stop.
            if (stops.current()) {
                log.info("Run {}: stopped ({})", runId, e.toString());
                return new RunOutcome(runId, RunOutcome.Kind.INTERRUPTED, "stopped");
            }
            Failures before = failures.get(runId);
            if (before == null && e instanceof PartitionStoppedException) {
                // logged once with its cause by the run log; the run is recorded again once the partition is taken
                log.warn(
                        "Run {}: its partition stopped; recorded again once it is taken again ({})",
                        runId,
                        e.getMessage());
            } else if (before == null) {
                log.error("Run {}: recording failed; it is recorded again from its last committed position", runId, e);
            } else {
                log.warn(
                        "Run {}: recording failed again ({} times in a row): {}",
                        runId,
                        before.count() + 1,
                        e.toString());
            }
            return new RunOutcome(runId, RunOutcome.Kind.FAILED, String.valueOf(e.getMessage()));
        }
    }

    /** Interrupts every recording thread and waits for them, at most {@code timeout}. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        threads.forEach(Thread::interrupt);
        return awaitIdle(timeout);
    }

    /** Waits until no recording thread is left, at most {@code timeout}; true when none is. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
                return false;
            }
        }
        return true;
    }

    private CompletableFuture<RunOutcome> claim(String runId, Consumer<CompletableFuture<RunOutcome>> starter) {
        CompletableFuture<RunOutcome> mine = new CompletableFuture<>();
        CompletableFuture<RunOutcome> other = claimOrOther(runId, mine);
        if (other != null) {
            return other;
        }
        starter.accept(mine);
        return mine;
    }

    /**
     * Puts {@code mine} as the run's recording; null when it is, else the recording that owns the run
     * or, when the run's recording ended lately, a done ALREADY_RECORDED.
     */
    private CompletableFuture<RunOutcome> claimOrOther(String runId, CompletableFuture<RunOutcome> mine) {
        if (ended.contains(runId)) {
            return CompletableFuture.completedFuture(alreadyRecorded(runId, "recorded lately"));
        }
        CompletableFuture<RunOutcome> owner = active.putIfAbsent(runId, mine);
        if (owner != null) {
            return owner;
        }
        if (ended.contains(runId)) {
            // its recording ended between the two looks (release adds to the ended set first)
            active.remove(runId, mine);
            return CompletableFuture.completedFuture(alreadyRecorded(runId, "recorded lately"));
        }
        return null;
    }

    private void start(String name, String runId, Supplier<RunOutcome> work, CompletableFuture<RunOutcome> future) {
        Thread thread = Thread.ofVirtual().name(name).unstarted(() -> {
            try {
                if (runId == null) {
                    completeGuarded(work, future);
                    return;
                }
                MDC.put(MDC_RUN_ID, runId);
                runThreads.put(runId, Thread.currentThread());
                RunOutcome outcome;
                try {
                    outcome = guarded(runId, work);
                } catch (Error e) {
                    // released as failed, so that the run is retried instead of claimed, unrecorded, for good
                    log.error("Run {}: recording failed", runId, e);
                    ctx.listener().recordingFailed(runId);
                    release(runId, new RunOutcome(runId, RunOutcome.Kind.FAILED, e.toString()), future);
                    throw e;
                }
                release(runId, outcome, future);
            } finally {
                MDC.clear();
                threads.remove(Thread.currentThread());
                stops.remove(Thread.currentThread());
            }
        });
        threads.add(thread);
        thread.start();
    }

    private void completeGuarded(Supplier<RunOutcome> work, CompletableFuture<RunOutcome> future) {
        try {
            future.complete(guarded(null, work));
        } catch (Error e) {
            future.completeExceptionally(e); // its caller is not left waiting for good
            throw e;
        }
    }

    /**
     * The intake's ownership check once more, after the claim, on the thread registered as the run's: the partition
     * left between the first check and the claim. A give that stopped the partition's runs before this one was
     * registered still has the stopped session's last records queued, and a session here would continue from the
     * committed checkpoint, before them; the run goes to the fleet instead.
     */
    private boolean leftSinceTheOwnershipCheck(String runId) {
        return !router.owns(runId);
    }

    private RunOutcome drainSession(String runId, Run run, String mode, String agentId, String conversationId) {
        if (leftSinceTheOwnershipCheck(runId)) {
            return forward(runId, mode);
        }
        try {
            return sessionFor(runId, run, mode, agentId, conversationId)
                    .map(RunSession::drain)
                    .orElseGet(() -> alreadyRecorded(runId, "the log holds its end"));
        } catch (UnreadableCheckpointException e) {
            // logged and counted once at the restore; recording it anew would duplicate what the log holds
            log.debug("Run {}: not recorded: {}", runId, e.getMessage());
            return new RunOutcome(runId, RunOutcome.Kind.CHECKPOINT_UNREADABLE, e.getMessage());
        } catch (EndedLongAgoException e) {
            return endedLongAgo(runId, e);
        }
    }

    private RunSession track(RunSession session) {
        cursors.put(session.cursor().runId(), session.cursor());
        return session;
    }

    private static Resumable furthest(Optional<Resumable> a, Optional<Resumable> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.or(() -> b).orElse(null);
        }
        return b.get().position().isAfter(a.get().position()) ? b.get() : a.get();
    }

    /** The Run object for the attached record, or null when the server does not give it now. */
    Run tryGetRun(String runId) {
        try {
            return ctx.api().getRun(runId);
        } catch (IOException e) {
            log.debug("Run {}: attaching without its Run object: {}", runId, e.getMessage());
            return null;
        }
    }
}
