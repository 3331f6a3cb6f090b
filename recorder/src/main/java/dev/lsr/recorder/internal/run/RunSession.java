package dev.lsr.recorder.internal.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.RunState;
import dev.lsr.recorder.RunOutcome;
import dev.lsr.recorder.internal.drain.ConnectionDrain;
import dev.lsr.recorder.internal.drain.DrainResult;
import dev.lsr.recorder.internal.drain.FrameRecorder;
import dev.lsr.recorder.internal.drain.RunCursor;
import dev.lsr.recorder.internal.letta.LettaHttpException;
import dev.lsr.recorder.internal.letta.Run;
import dev.lsr.recorder.internal.letta.SseStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
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
    private final String mode;
    private final JsonNode runJson;
    private boolean attached;
    private String resumeCause;
    private boolean serverEndSeen;
    private boolean progressSinceDecision;
    private String lastKnownStatus;

    private RunSession(SessionContext ctx, RunCursor cursor, String mode, Run run, boolean attached, String resumeCause) {
        this.ctx = ctx;
        this.cursor = cursor;
        this.frames = new FrameRecorder(cursor, ctx.records(), ctx.appender(), ctx.listener());
        this.mode = mode;
        this.runJson = run == null ? null : run.json();
        this.lastKnownStatus = run == null ? null : run.status();
        this.attached = attached;
        this.resumeCause = resumeCause;
    }

    /** A session for a run not yet in the log; {@code run} may be null when it could not be fetched. */
    public static RunSession fresh(SessionContext ctx, String runId, Run run, String mode) {
        return fresh(ctx, runId, run, mode, null, null);
    }

    /** Like {@link #fresh(SessionContext, String, Run, String)}, with the ids to use when {@code run} is null. */
    public static RunSession fresh(SessionContext ctx, String runId, Run run, String mode, String agentId,
                                   String conversationId) {
        RunCursor cursor = run == null
                ? new RunCursor(runId, agentId, conversationId, Position.START, ctx.now())
                : new RunCursor(runId, run.agentId(), run.conversationId(), Position.START, ctx.now());
        return new RunSession(ctx, cursor, mode, run, false, null);
    }

    /** A session that continues a run the log holds up to {@code position} (after a restart). */
    public static RunSession restored(SessionContext ctx, String runId, String agentId, String conversationId,
                                      Position position) {
        RunCursor cursor = new RunCursor(runId, agentId, conversationId, position, ctx.now());
        return new RunSession(ctx, cursor, "restore", null, true, "restart");
    }

    public RunCursor cursor() {
        return cursor;
    }

    /** Records the attachment now (used when the first connection is already open: a send). */
    public FrameRecorder attachToOpenStream(long startingAfter) {
        announce(1, startingAfter);
        frames.startConnection(startingAfter);
        return frames;
    }

    /** Connects and drains until the run ends or the recorder stops. */
    public RunOutcome drain() {
        return loop(null);
    }

    /** Continues after a first connection that was drained by the caller ended with {@code first}. */
    public RunOutcome continueAfter(DrainResult first) {
        return loop(first);
    }

    private RunOutcome loop(DrainResult pending) {
        Backoff backoff = ctx.settings().backoff();
        int attempts = 0;
        DrainResult result = pending;
        while (true) {
            Decision decision;
            if (result == null) {
                if (ctx.isStopping()) {
                    return interrupted();
                }
                attempts++;
                long after = cursor.resumeAfter();
                try {
                    SseStream stream = ctx.api().streamRun(cursor.runId(), after);
                    announce(attempts, after);
                    attempts = 0;
                    result = drainConnection(stream, after);
                    continue;
                } catch (LettaHttpException e) {
                    log.info("Run {}: {}", cursor.runId(), e.getMessage());
                    decision = ctx.policy().onHttpError(e, health(), backoff.delay(ctx.random()), ctx.now());
                } catch (IOException e) {
                    log.info("Run {}: could not connect: {}", cursor.runId(), e.getMessage());
                    decision = afterDisconnect(e instanceof SocketTimeoutException ? DrainResult.Disconnected.STALL
                            : DrainResult.Disconnected.IO_ERROR, backoff);
                }
            } else {
                switch (result) {
                    case DrainResult.Ended ended -> {
                        return finish(awaitFinalRun());
                    }
                    case DrainResult.Stopped stopped -> {
                        return interrupted();
                    }
                    case DrainResult.Disconnected disconnected -> {
                        log.info("Run {}: disconnected at {} ({}: {})", cursor.runId(), cursor.lastAppended(),
                                disconnected.cause(), disconnected.detail());
                        if (progressSinceDecision) {
                            backoff = backoff.reset();
                        }
                        decision = afterDisconnect(disconnected.cause(), backoff);
                    }
                }
                result = null;
            }
            progressSinceDecision = false;
            switch (decision) {
                case Decision.Retry retry -> {
                    resumeCause = retry.cause();
                    try {
                        ctx.sleeper().sleep(retry.delay());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return interrupted();
                    }
                    backoff = backoff.next();
                }
                case Decision.Refuse refuse -> {
                    return refuse(refuse);
                }
                case Decision.Finish finish -> {
                    return finish(finish.run());
                }
                case Decision.Abandon abandon -> {
                    return abandon(abandon);
                }
                case Decision.Fatal fatal -> throw new RecorderFailure(fatal.message(), null);
            }
        }
    }

    private DrainResult drainConnection(SseStream stream, long after) {
        frames.startConnection(after);
        Position before = cursor.lastAppended();
        DrainResult result = ConnectionDrain.drain(stream, frames, ctx.watchdog(), ctx.stopping());
        if (cursor.lastAppended().isAfter(before)) {
            progressSinceDecision = true;
        }
        return result;
    }

    private Decision afterDisconnect(String cause, Backoff backoff) {
        ServerView view = serverView();
        Decision decision = ctx.policy().onDisconnect(cause, view, health(), backoff.delay(ctx.random()), ctx.now());
        if (view instanceof ServerView.Ended) {
            serverEndSeen = true;
        }
        return decision;
    }

    private ServerView serverView() {
        try {
            Run run = ctx.api().getRun(cursor.runId());
            lastKnownStatus = run.status();
            return run.isActive() ? new ServerView.Active(run) : new ServerView.Ended(run);
        } catch (LettaHttpException e) {
            return e.status() == 404 ? new ServerView.Missing(e.detail()) : new ServerView.Unknown(e.getMessage());
        } catch (IOException e) {
            return new ServerView.Unknown(String.valueOf(e.getMessage()));
        }
    }

    private RunHealth health() {
        return new RunHealth(cursor.lastProgressAt(), serverEndSeen, progressSinceDecision, lastKnownStatus);
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
        log.info("Run {}: resumed after seq {} (attempt {}, cause {})", cursor.runId(), startingAfter, attempt, resumeCause);
    }

    /** Polls the run for a terminal status for a short while: the status lands just after the stream ends. */
    private Run awaitFinalRun() {
        Instant deadline = ctx.now().plus(ctx.settings().finishWait());
        Run last = null;
        while (true) {
            try {
                last = ctx.api().getRun(cursor.runId());
                if (!last.isActive()) {
                    return last;
                }
            } catch (IOException e) {
                log.debug("Run {}: could not read the final run status: {}", cursor.runId(), e.getMessage());
            }
            if (!ctx.now().isBefore(deadline) || ctx.isStopping()) {
                return last;
            }
            try {
                ctx.sleeper().sleep(Duration.ofMillis(200));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return last;
            }
        }
    }

    private RunOutcome finish(Run run) {
        String status = run == null ? null : run.status();
        append(new LifecycleEvent.RunFinished(cursor.lastStopReason(), status, run == null ? null : run.json()),
                RunState.FINISHED);
        log.info("Run {}: finished at {} (stop reason {}, status {}){}", cursor.runId(), cursor.lastAppended(),
                cursor.lastStopReason(), status, rejectedNote());
        return ended(RunState.FINISHED, new RunOutcome(cursor.runId(), RunOutcome.Kind.FINISHED, cursor.lastStopReason()));
    }

    private RunOutcome refuse(Decision.Refuse refuse) {
        RunState state = switch (refuse.kind()) {
            case RUN_EXPIRED -> RunState.EXPIRED;
            case RUN_GONE -> RunState.GONE;
            default -> RunState.NOT_RESUMABLE;
        };
        append(new LifecycleEvent.RunRefused(refuse.kind(), refuse.statusCode(), refuse.detail()), state);
        log.info("Run {}: {} (HTTP {}: {}){}", cursor.runId(), refuse.kind().cloudEventType(), refuse.statusCode(),
                refuse.detail(), rejectedNote());
        RunOutcome.Kind kind = refuse.kind() == RecordType.RUN_EXPIRED ? RunOutcome.Kind.EXPIRED
                : refuse.kind() == RecordType.RUN_GONE ? RunOutcome.Kind.GONE : RunOutcome.Kind.NOT_RESUMABLE;
        return ended(state, new RunOutcome(cursor.runId(), kind, refuse.detail()));
    }

    private RunOutcome abandon(Decision.Abandon abandon) {
        append(new LifecycleEvent.RunAbandoned(abandon.serverStatus(), abandon.lastProgressAt(), abandon.waited().toMillis()),
                RunState.ABANDONED);
        log.warn("Run {}: abandoned: no progress for {} ms while the server says {}{}", cursor.runId(),
                abandon.waited().toMillis(), abandon.serverStatus(), rejectedNote());
        return ended(RunState.ABANDONED, new RunOutcome(cursor.runId(), RunOutcome.Kind.ABANDONED, abandon.serverStatus()));
    }

    private RunOutcome interrupted() {
        log.info("Run {}: left at {} (recorder stopping)", cursor.runId(), cursor.lastAppended());
        return ended(RunState.ACTIVE, new RunOutcome(cursor.runId(), RunOutcome.Kind.INTERRUPTED, "recorder stopping"));
    }

    private RunOutcome ended(RunState state, RunOutcome outcome) {
        ctx.listener().runEnded(cursor.runId(), state);
        return outcome;
    }

    private String rejectedNote() {
        return cursor.rejected() == 0 ? "" : "; " + cursor.rejected() + " frame(s) rejected";
    }

    private void append(LifecycleEvent event, RunState stateAfter) {
        ctx.appender().append(ctx.records().lifecycle(cursor, event), stateAfter);
    }
}
