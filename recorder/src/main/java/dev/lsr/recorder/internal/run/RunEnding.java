package dev.lsr.recorder.internal.run;

import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.RunState;
import dev.lsr.recorder.RunOutcome;
import dev.lsr.recorder.internal.drain.GapDetector;
import dev.lsr.recorder.internal.drain.RunCursor;
import dev.lsr.recorder.internal.letta.Run;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ways a run session ends: the terminal record (if any), one log line, and the caller's outcome. */
final class RunEnding {

    private static final Logger log = LoggerFactory.getLogger(RunSession.class);

    private final SessionContext ctx;
    private final RunCursor cursor;
    private final GapDetector gaps;

    RunEnding(SessionContext ctx, RunCursor cursor) {
        this.ctx = ctx;
        this.cursor = cursor;
        this.gaps = new GapDetector(ctx.records(), ctx.appender(), ctx.listener());
    }

    /** Polls the run for a terminal status for a short while: the status lands just after the stream ends. */
    Run awaitFinalRun() {
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

    /**
     * The stream ended. The stop reason is the last {@code stop_reason} chunk seen, or, when this
     * recorder saw none (it resumed past it after a restart), the Run object's.
     */
    RunOutcome finish(Run run) {
        String status = run == null ? null : run.status();
        String stopReason =
                cursor.lastStopReason() != null ? cursor.lastStopReason() : run == null ? null : run.stopReason();
        append(new LifecycleEvent.RunFinished(stopReason, status, run == null ? null : run.json()), RunState.FINISHED);
        log.info(
                "Run {}: finished at {} (stop reason {}, status {}){}",
                cursor.runId(),
                cursor.lastAppended(),
                stopReason,
                status,
                countsNote());
        return ended(RunState.FINISHED, new RunOutcome(cursor.runId(), RunOutcome.Kind.FINISHED, stopReason));
    }

    /**
     * The run ended while no connection brought its end: the frames after the last appended one are recorded as
     * missing ({@link GapDetector#unreadEnd}), then the run is finished.
     */
    RunOutcome finishWithoutItsEnd(Run run) {
        gaps.unreadEnd(cursor);
        return finish(run);
    }

    RunOutcome refuse(Decision.Refuse refuse) {
        RunState state = switch (refuse.kind()) {
            case RUN_EXPIRED -> RunState.EXPIRED;
            case RUN_GONE -> RunState.GONE;
            default -> RunState.NOT_RESUMABLE;
        };
        gaps.lostTail(cursor, GapDetector.causeOf(state));
        append(new LifecycleEvent.RunRefused(refuse.kind(), refuse.statusCode(), refuse.detail()), state);
        log.info(
                "Run {}: {} (HTTP {}: {}){}",
                cursor.runId(),
                refuse.kind().cloudEventType(),
                refuse.statusCode(),
                refuse.detail(),
                countsNote());
        RunOutcome.Kind kind = refuse.kind() == RecordType.RUN_EXPIRED
                ? RunOutcome.Kind.EXPIRED
                : refuse.kind() == RecordType.RUN_GONE ? RunOutcome.Kind.GONE : RunOutcome.Kind.NOT_RESUMABLE;
        return ended(state, new RunOutcome(cursor.runId(), kind, refuse.detail()));
    }

    RunOutcome abandon(Decision.Abandon abandon) {
        append(
                new LifecycleEvent.RunAbandoned(
                        abandon.serverStatus(),
                        abandon.lastProgressAt(),
                        abandon.waited().toMillis()),
                RunState.ABANDONED);
        log.warn(
                "Run {}: abandoned: no progress for {} ms while the server says {}{}",
                cursor.runId(),
                abandon.waited().toMillis(),
                abandon.serverStatus(),
                countsNote());
        return ended(
                RunState.ABANDONED, new RunOutcome(cursor.runId(), RunOutcome.Kind.ABANDONED, abandon.serverStatus()));
    }

    /** The recorder stops: nothing is written, the checkpoint stays active for the next start. */
    RunOutcome interrupted() {
        log.info("Run {}: left at {} (recorder stopping)", cursor.runId(), cursor.lastAppended());
        return ended(RunState.ACTIVE, new RunOutcome(cursor.runId(), RunOutcome.Kind.INTERRUPTED, "recorder stopping"));
    }

    private RunOutcome ended(RunState state, RunOutcome outcome) {
        ctx.listener().runEnded(cursor.runId(), state);
        return outcome;
    }

    private String countsNote() {
        return (cursor.rejected() == 0 ? "" : "; " + cursor.rejected() + " frame(s) rejected")
                + (cursor.gaps() == 0 ? "" : "; " + cursor.gaps() + " gap(s) recorded");
    }

    private void append(LifecycleEvent event, RunState stateAfter) {
        ctx.appender().append(ctx.records().lifecycle(cursor, event), stateAfter);
    }
}
