package dev.lsr.recorder.internal.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RunState;
import dev.lsr.kernel.Backoff;
import dev.lsr.recorder.RunOutcome;
import dev.lsr.recorder.internal.drain.ConnectionDrain;
import dev.lsr.recorder.internal.drain.ConnectionEnd;
import dev.lsr.recorder.internal.drain.FrameRecorder;
import dev.lsr.recorder.internal.drain.RunCursor;
import dev.lsr.recorder.internal.drain.StallWatchdog;
import dev.lsr.recorder.internal.letta.LettaHttpException;
import dev.lsr.recorder.internal.letta.OutageTrackingLettaApi;
import dev.lsr.recorder.internal.letta.RetryAfter;
import dev.lsr.recorder.internal.letta.Run;
import dev.lsr.recorder.internal.letta.SseStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains one run until it ends: connects, drains, and after every early end asks the
 * {@link SupervisorPolicy} whether to reconnect (from the last appended seq), and when. The only
 * owner of retry for the run. Runs on the run's own thread.
 */
public final class RunSession {

    private static final Logger log = LoggerFactory.getLogger(RunSession.class);

    private final SessionContext ctx;
    private final RunCursor cursor;
    private final FrameRecorder frames;
    private final RunEnding ending;
    private final String mode;
    private final JsonNode runJson;
    private final FirstRefusal firstRefusal;
    private boolean attached;
    private String resumeCause;
    private volatile boolean serverEndSeen;
    /**
     * A restored run whose state the server has not been asked yet: it may have ended while nobody
     * recorded it, so its first connection is given up as early as one of a run the server reported
     * ended (after the stall timeout of nothing new), and the server is asked then. Asking before the
     * first open would cost a Run GET per restored run, half the requests of a restart.
     */
    private volatile boolean serverNotAskedYet;

    /**
     * Where this session read the run's end: its stored error after a {@code stop_reason} (Letta's error-final
     * sequence, after which its reader polls for good). Null when it never did.
     */
    private Position endReadAt;

    private int emptyConnectionsAfterEnd;
    private Position positionAtAttach = Position.START;
    private boolean progressSinceDecision;
    private boolean connectedSinceDecision;
    private final boolean restored;
    private String lastKnownStatus;
    /** When a call for this run last found no Letta to answer it; null until one does. */
    private Instant lettaUnreachableAt;
    /** Held by a restored run from the start of its attach to its first stream open; see {@link AttachGate}. */
    private AttachGate.Permit attaching = AttachGate.Permit.NONE;

    private RunSession(
            SessionContext ctx,
            RunCursor cursor,
            String mode,
            Run run,
            boolean attached,
            String resumeCause,
            FirstRefusal firstRefusal) {
        this.ctx = ctx;
        this.firstRefusal = firstRefusal;
        this.cursor = cursor;
        this.frames = new FrameRecorder(cursor, ctx.records(), ctx.appender(), ctx.listener());
        this.ending = new RunEnding(ctx, cursor);
        this.mode = mode;
        this.runJson = run == null ? null : run.json();
        this.lastKnownStatus = run == null ? null : run.status();
        this.attached = attached;
        this.resumeCause = resumeCause;
        this.restored = attached && run == null;
        this.serverEndSeen = run != null && !run.isActive();
        this.serverNotAskedYet = restored;
    }

    /** A session for a run not yet in the log; {@code run} may be null when it could not be fetched. */
    public static RunSession fresh(SessionContext ctx, String runId, Run run, String mode) {
        return fresh(ctx, runId, run, mode, null, null);
    }

    /** Like {@link #fresh(SessionContext, String, Run, String)}, with the ids to use when {@code run} is null. */
    public static RunSession fresh(
            SessionContext ctx, String runId, Run run, String mode, String agentId, String conversationId) {
        return fresh(ctx, runId, run, mode, agentId, conversationId, FirstRefusal.RECORD);
    }

    /** The same, with what to do when Letta refuses the run before anything of it was appended. */
    public static RunSession fresh(
            SessionContext ctx,
            String runId,
            Run run,
            String mode,
            String agentId,
            String conversationId,
            FirstRefusal firstRefusal) {
        RunCursor cursor = run == null
                ? new RunCursor(runId, agentId, conversationId, Position.START, ctx.now())
                : new RunCursor(runId, run.agentId(), run.conversationId(), Position.START, ctx.now());
        return new RunSession(ctx, cursor, mode, run, false, null, firstRefusal);
    }

    /** A session that continues a run the log holds up to {@code position} (after a restart). */
    public static RunSession restored(
            SessionContext ctx, String runId, String agentId, String conversationId, Position position) {
        return continued(ctx, runId, agentId, conversationId, position, LifecycleEvent.RunResumed.RESTART);
    }

    /**
     * A session that continues a run already recorded up to {@code position}, for the reason {@code cause}
     * (the {@code run.resumed} record's cause): frames at or below that position are replays and dropped.
     */
    public static RunSession continued(
            SessionContext ctx, String runId, String agentId, String conversationId, Position position, String cause) {
        RunCursor cursor = new RunCursor(runId, agentId, conversationId, position, ctx.now());
        return new RunSession(ctx, cursor, "restore", null, true, cause, FirstRefusal.RECORD);
    }

    public RunCursor cursor() {
        return cursor;
    }

    /** Records the attachment now (used when the first connection is already open: a send). */
    public FrameRecorder attachToOpenStream(long startingAfter) {
        connectedSinceDecision = true;
        positionAtAttach = cursor.lastAppended();
        announce(1, startingAfter);
        frames.startConnection(startingAfter);
        return frames;
    }

    /** Connects and drains until the run ends or the recorder stops. */
    public RunOutcome drain() {
        if (!restored) {
            return loop(null);
        }
        try {
            attaching = ctx.restoreAttaches().enter();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ending.interrupted();
        }
        try {
            return loop(null);
        } finally {
            attaching.close();
        }
    }

    /** Continues after a first connection that was drained by the caller ended with {@code first}. */
    public RunOutcome continueAfter(ConnectionEnd first) {
        progressSinceDecision = cursor.lastAppended().isAfter(positionAtAttach);
        return loop(first);
    }

    private RunOutcome loop(ConnectionEnd pending) {
        Backoff backoff = ctx.settings().backoff();
        int attempts = 0;
        ConnectionEnd result = pending;
        while (true) {
            Decision decision;
            if (result == null) {
                if (ctx.isStopping()) {
                    return ending.interrupted();
                }
                attempts++;
                long after = cursor.resumeAfter();
                try {
                    SseStream stream;
                    try {
                        stream = ctx.api().streamRun(cursor.runId(), after);
                    } finally {
                        // the attach ends with its first open, whatever the answer: retries wait without a slot
                        attaching.close();
                    }
                    connectedSinceDecision = true;
                    result = drainConnection(stream, attempts, after);
                    attempts = 0;
                    continue;
                } catch (IOException e) {
                    decision = afterFailedOpen(e, backoff, attempts == 1);
                }
            } else {
                switch (result) {
                    case ConnectionEnd.Ended ended -> {
                        return ending.finish(ending.awaitFinalRun());
                    }
                    case ConnectionEnd.ErrorFrame error -> {
                        if (frames.endedByStoredError() && cursor.stopReasonSeen()) {
                            endReadAt = cursor.lastAppended();
                        }
                        Run ended = endedByItsErrorFrame();
                        if (ended != null) {
                            return ending.finish(ended);
                        }
                        log.info(
                                "Run {}: an error frame ended the connection at {}; the run is still active, resuming",
                                cursor.runId(),
                                cursor.lastAppended());
                        if (progressSinceDecision) {
                            backoff = backoff.reset();
                        }
                        decision = afterDisconnect(ConnectionEnd.ErrorFrame.CAUSE, backoff);
                    }
                    case ConnectionEnd.Stopped stopped -> {
                        return ending.interrupted();
                    }
                    case ConnectionEnd.Disconnected disconnected -> {
                        log.info(
                                "Run {}: disconnected at {} ({}: {})",
                                cursor.runId(),
                                cursor.lastAppended(),
                                disconnected.cause(),
                                disconnected.detail());
                        if (progressSinceDecision) {
                            backoff = backoff.reset();
                        }
                        decision = afterDisconnect(disconnected.cause(), backoff);
                    }
                }
                result = null;
            }
            progressSinceDecision = false;
            connectedSinceDecision = false;
            switch (decision) {
                case Decision.Retry retry -> {
                    resumeCause = retry.cause();
                    try {
                        ctx.sleeper().sleep(retry.delay());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return ending.interrupted();
                    }
                    backoff = backoff.next();
                }
                case Decision.Refuse refuse -> {
                    Optional<RunOutcome> instead =
                            nothingAppendedYet() ? firstRefusal.insteadOf(cursor.runId()) : Optional.empty();
                    if (instead.isPresent()) {
                        return instead.get();
                    }
                    frames.keepUnconfirmedTail();
                    return ending.refuse(refuse);
                }
                case Decision.Finish finish -> {
                    // no connection ended with [DONE]: what the connections showed last is all that was read
                    frames.keepUnconfirmedTail();
                    return endRead() ? ending.finish(finish.run()) : ending.finishWithoutItsEnd(finish.run());
                }
                case Decision.Abandon abandon -> {
                    frames.keepUnconfirmedTail();
                    return ending.abandon(abandon);
                }
                case Decision.Fatal fatal -> throw new CredentialsRejectedException(fatal.message());
            }
        }
    }

    /**
     * Announces the connection in the log and drains it. The stream is closed whatever happens: when the log
     * refuses the announcement (closed, fenced, the partition lost), before the exception leaves, so that
     * Letta does not stream on to nobody and the connection is never pooled with a stream's bytes on it. The
     * watchdog watches the stream from its open: an announcement that waits for the log (a broker outage) leaves it
     * unread, and it is cancelled after the stall timeout like any quiet stream (the drain then reconnects).
     */
    private ConnectionEnd drainConnection(SseStream stream, int attempt, long after) {
        StallWatchdog.Watch whileAnnounced = ctx.watchdog().watch(stream::cancel, () -> false);
        try {
            announce(attempt, after);
            frames.startConnection(after);
        } catch (RuntimeException | Error e) {
            stream.close();
            throw e;
        } finally {
            whileAnnounced.close();
        }
        Position before = cursor.lastAppended();
        ConnectionEnd result = ConnectionDrain.drain(
                stream, frames, ctx.watchdog(), ctx.stopping(), () -> serverEndSeen || serverNotAskedYet);
        if (cursor.lastAppended().isAfter(before)) {
            progressSinceDecision = true;
        }
        return result;
    }

    /**
     * True when the run's end was read and nothing was appended after it. A session continued after a restart
     * does not know whether the recorder before it read the end: its empty connections end in a gap.
     */
    private boolean endRead() {
        return endReadAt != null && endReadAt.equals(cursor.lastAppended());
    }

    /**
     * The final Run when an error frame ended the run's stream: a stored error after a
     * {@code stop_reason} (Letta's terminal sequences) and the server reports the run no longer
     * active. Else null: an error frame alone never ends a run the server still reports active (nor
     * one of the connection only), so the connection is treated like a dropped one.
     */
    private Run endedByItsErrorFrame() {
        if (!frames.endedByStoredError() || !cursor.stopReasonSeen()) {
            return null;
        }
        Run run = ending.awaitFinalRun();
        return run != null && !run.isActive() ? run : null;
    }

    /**
     * A stream open that failed: Letta's answer decides ({@link SupervisorPolicy#onHttpError}); when there was
     * none, or the open waited in vain for its headers, the Run GET that follows tells whether Letta is there.
     * A proxy's 504 keeps its cause ({@code http_504}) and its {@code Retry-After}.
     */
    private Decision afterFailedOpen(IOException e, Backoff backoff, boolean firstOfStreak) {
        boolean waited = OutageTrackingLettaApi.waitedInVainForHeaders(e);
        // once per streak at INFO: the resume line says how many attempts it took, an outage is logged by the API
        org.slf4j.event.Level level = firstOfStreak ? org.slf4j.event.Level.INFO : org.slf4j.event.Level.DEBUG;
        if (e instanceof LettaHttpException http) {
            log.atLevel(level).log("Run {}: {}", cursor.runId(), http.getMessage());
            if (!waited) {
                noteIfUnreachable(http);
                if (SupervisorPolicy.asksTheRun(http.status())) {
                    ServerView view = serverView();
                    return ctx.policy().onRefusedOpen(http, view, health(), backoff.delay(ctx.random()), ctx.now());
                }
                return ctx.policy().onHttpError(http, health(), backoff.delay(ctx.random()), ctx.now());
            }
            return afterDisconnect("http_" + http.status(), RetryAfter.atLeast(http, backoff.delay(ctx.random())));
        }
        log.atLevel(level).log("Run {}: could not connect: {}", cursor.runId(), e.getMessage());
        return afterDisconnect(
                waited ? ConnectionEnd.Disconnected.STALL : ConnectionEnd.Disconnected.IO_ERROR, backoff);
    }

    private Decision afterDisconnect(String cause, Backoff backoff) {
        return afterDisconnect(cause, backoff.delay(ctx.random()));
    }

    private Decision afterDisconnect(String cause, Duration delay) {
        ServerView view = serverView();
        if (progressSinceDecision || (connectedSinceDecision && !SupervisorPolicy.saysNothingMore(cause))) {
            emptyConnectionsAfterEnd = 0; // "in a row": a connection cut between two empty ones starts the count again
        } else if (connectedSinceDecision && view instanceof ServerView.Ended) {
            emptyConnectionsAfterEnd++;
        }
        if (view instanceof ServerView.Ended) {
            serverEndSeen = true;
        }
        return ctx.policy().onDisconnect(cause, view, health(), delay, ctx.now());
    }

    /**
     * The Run GET was refused (401/403): Letta's start-check route tells a run the key may not read (another
     * project's) from a key it rejects everywhere.
     */
    private ServerView refusedToThisKey(LettaHttpException refusal) {
        try {
            ctx.api().checkServer();
            return new ServerView.Forbidden(refusal.status(), refusal.detail());
        } catch (LettaHttpException e) {
            if (e.refusesCredentials()) {
                return new ServerView.KeyRejected(e.status());
            }
            noteIfUnreachable(e);
            return new ServerView.Unknown(e.getMessage());
        } catch (IOException e) {
            noteIfUnreachable(e);
            return new ServerView.Unknown(String.valueOf(e.getMessage()));
        }
    }

    private ServerView serverView() {
        serverNotAskedYet = false;
        try {
            Run run = ctx.api().getRun(cursor.runId());
            lastKnownStatus = run.status();
            return run.isActive() ? new ServerView.Active(run) : new ServerView.Ended(run);
        } catch (LettaHttpException e) {
            if (e.status() == 404) {
                return new ServerView.Missing(e.detail());
            }
            if (e.refusesCredentials()) {
                return refusedToThisKey(e);
            }
            noteIfUnreachable(e);
            return new ServerView.Unknown(e.getMessage());
        } catch (IOException e) {
            noteIfUnreachable(e);
            return new ServerView.Unknown(String.valueOf(e.getMessage()));
        }
    }

    /** Remembers a call that found no Letta at all: the abandon time does not run during an outage. */
    private void noteIfUnreachable(IOException e) {
        if (OutageTrackingLettaApi.isOutage(e)) {
            lettaUnreachableAt = ctx.now();
        }
    }

    private RunHealth health() {
        return new RunHealth(
                cursor.lastProgressAt(),
                emptyConnectionsAfterEnd,
                progressSinceDecision,
                connectedSinceDecision,
                lastKnownStatus,
                lettaUnreachableAt);
    }

    private boolean nothingAppendedYet() {
        return !attached && !cursor.lastAppended().isAfter(Position.START);
    }

    private void announce(int attempt, long startingAfter) {
        if (!attached) {
            append(new LifecycleEvent.RunAttached(mode, startingAfter, runJson), RunState.ACTIVE);
            attached = true;
            log.info("Run {}: attached ({}) after seq {}", cursor.runId(), mode, startingAfter);
            return;
        }
        append(new LifecycleEvent.RunResumed(attempt, startingAfter, resumeCause), RunState.ACTIVE);
        ctx.listener().runResumed(cursor.runId(), resumeCause);
        log.info(
                "Run {}: resumed after seq {} (attempt {}, cause {})",
                cursor.runId(),
                startingAfter,
                attempt,
                resumeCause);
    }

    private void append(LifecycleEvent event, RunState stateAfter) {
        ctx.appender().append(ctx.records().lifecycle(cursor, event), stateAfter);
    }
}
