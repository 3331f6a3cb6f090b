package dev.lsr.recorder.internal.intake;

import dev.lsr.kernel.Backoff;
import dev.lsr.recorder.RunOutcome;
import dev.lsr.recorder.SendMessage;
import dev.lsr.recorder.internal.drain.ConnectionDrain;
import dev.lsr.recorder.internal.drain.ConnectionEnd;
import dev.lsr.recorder.internal.drain.FrameRecorder;
import dev.lsr.recorder.internal.letta.LettaHttpException;
import dev.lsr.recorder.internal.letta.OutageTrackingLettaApi;
import dev.lsr.recorder.internal.letta.RetryAfter;
import dev.lsr.recorder.internal.letta.Run;
import dev.lsr.recorder.internal.letta.RunQuery;
import dev.lsr.recorder.internal.letta.SseStream;
import dev.lsr.recorder.internal.run.RunSession;
import dev.lsr.recorder.internal.run.SessionContext;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a message in background mode and records its run. The send's own response is the run's
 * first connection; once a frame names the run, it becomes an ordinary run session. If the response
 * fails before the run id is known, the run is found again by the message's otid
 * ({@code POST /v1/conversations/{id}/stream}), else by run discovery ({@code GET /v1/runs/}, newest
 * running run created after the send, for a bounded time). A 409 "busy" answer that names a run
 * attaches to that run. Every one of these paths claims the run through the registry's one rule, so a
 * run recorded already (a retried send's replay, a 409 naming an ended run) is not appended again. The
 * message is never sent twice, except after an answer that says it was not
 * accepted and may be sent again (Letta Cloud's 503 {@code cloud_api_shutting_down},
 * {@code admitted: false}): then up to {@value #MAX_REFUSALS} more times, after the server's
 * {@code Retry-After} (else the reconnect backoff), as Letta Code does.
 */
final class SendSession {

    private static final Logger log = LoggerFactory.getLogger(SendSession.class);
    static final int MAX_REFUSALS = 3;
    private static final Duration LONGEST_RETRY_AFTER = Duration.ofMinutes(1);

    private final SessionContext ctx;
    private final RunRegistry registry;
    private final SendMessage message;
    private final Instant startedAt;
    /** How long discovery waits before its next look: the interval, or longer when the server asked (429). */
    private Duration nextWait;

    SendSession(SessionContext ctx, RunRegistry registry, SendMessage message) {
        this.ctx = ctx;
        this.registry = registry;
        this.message = message;
        this.startedAt = ctx.records().clock().instant();
    }

    RunOutcome run() {
        SseStream stream;
        try {
            stream = sendUntilAccepted();
        } catch (LettaHttpException e) {
            if (OutageTrackingLettaApi.waitedInVainForHeaders(e) || e.mayHaveBeenAccepted()) {
                // a proxy gave up waiting for the first frame, or a server error that does not say the message was
                // refused: Letta may well have accepted it
                log.info("Send {}: no response ({}); looking for its run", message.otid(), e.getMessage());
                return recover();
            }
            if (e.status() == 409 && e.runId().isPresent()) {
                String runId = e.runId().get();
                log.info("Send {}: conversation busy with run {}; recording that run", message.otid(), runId);
                RunOutcome recorded = registry.drainHere(runId, null, "busy");
                return new RunOutcome(
                        recorded.runId(),
                        recorded.kind(),
                        "conversation busy: the message was not accepted; recorded the run holding it");
            }
            log.warn("Send {}: refused: {}", message.otid(), e.getMessage());
            return new RunOutcome(null, RunOutcome.Kind.SEND_FAILED, e.getMessage());
        } catch (IOException e) {
            log.info("Send {}: no response ({}); looking for its run", message.otid(), e.getMessage());
            return recover();
        }
        Optional<RunOutcome> outcome = drainUnbound(stream);
        if (outcome.isEmpty()) {
            log.info("Send {}: the response ended before naming its run; looking for it", message.otid());
        }
        return outcome.orElseGet(this::recover);
    }

    /** Sends, and again after each refusal that says the message was not accepted (at most {@value #MAX_REFUSALS}). */
    private SseStream sendUntilAccepted() throws IOException {
        Backoff backoff = ctx.settings().backoff();
        for (int refusals = 0; ; refusals++) {
            try {
                return ctx.api().send(message);
            } catch (LettaHttpException e) {
                if (!e.notAdmittedRetryable() || refusals == MAX_REFUSALS || ctx.isStopping()) {
                    throw e;
                }
                Duration wait = e.retryAfter()
                        .map(d -> d.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : d)
                        .orElse(backoff.delay(ctx.random()));
                backoff = backoff.next();
                log.info(
                        "Send {}: not accepted ({}); sending again in {} ms ({} of {})",
                        message.otid(),
                        e.getMessage(),
                        wait.toMillis(),
                        refusals + 1,
                        MAX_REFUSALS);
                try {
                    ctx.sleeper().sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Drains a stream of a not-yet-known run; empty when it ended before naming its run. */
    private Optional<RunOutcome> drainUnbound(SseStream stream) {
        Binding binding = new Binding();
        UnboundStream unbound = new UnboundStream(binding);
        ConnectionEnd result;
        try {
            result = ConnectionDrain.drain(stream, unbound, ctx.watchdog(), ctx.stopping());
        } catch (RuntimeException e) {
            if (!binding.holdsClaim) {
                throw e;
            }
            // bound, or claimed and then refused by the log (its attach record): either way the claim ends here
            RunOutcome failed = registry.guarded(unbound.runId(), () -> {
                throw e;
            });
            registry.release(unbound.runId(), failed, binding.mine);
            return Optional.of(failed);
        }
        if (unbound.handedOver()) {
            return Optional.of(binding.owner.join());
        }
        if (!unbound.bound()) {
            return Optional.empty();
        }
        RunOutcome outcome = registry.guarded(unbound.runId(), () -> binding.session.continueAfter(result));
        registry.release(unbound.runId(), outcome, binding.mine);
        return Optional.of(outcome);
    }

    /** Claims the run a send stream names and starts its session on this thread. */
    private final class Binding implements Function<String, FrameRecorder> {
        private final CompletableFuture<RunOutcome> mine = new CompletableFuture<>();
        private CompletableFuture<RunOutcome> owner;
        private RunSession session;
        /** The run is claimed for {@link #mine} and not released yet: whatever ends the drain must release it. */
        private boolean holdsClaim;

        @Override
        public FrameRecorder apply(String runId) {
            Optional<CompletableFuture<RunOutcome>> other = registry.tryClaimHere(runId, mine);
            if (other.isPresent()) {
                log.info("Send {}: run {} is recorded by another intake already", message.otid(), runId);
                owner = other.get();
                return null;
            }
            holdsClaim = true;
            String conversation = "default".equals(message.conversationId()) ? null : message.conversationId();
            Optional<RunSession> claimed;
            try {
                claimed = registry.sessionFor(runId, null, "send", message.agentId(), conversation);
            } catch (EndedLongAgoException e) {
                return leave(runId, RunRegistry.endedLongAgo(runId, e));
            }
            if (claimed.isEmpty()) {
                log.info(
                        "Send {}: run {} is in the log already (a replay of a send recorded before)",
                        message.otid(),
                        runId);
                return leave(runId, RunRegistry.alreadyRecorded(runId, "the log holds its end"));
            }
            session = claimed.get();
            // a run the log holds in part continues after its position: the replayed frames are dropped
            return session.attachToOpenStream(0);
        }

        /** Releases the claim with {@code outcome}: the run is not recorded from this send. */
        private FrameRecorder leave(String runId, RunOutcome outcome) {
            registry.release(runId, outcome, mine);
            holdsClaim = false;
            owner = mine;
            return null;
        }
    }

    private RunOutcome recover() {
        if (ctx.isStopping()) {
            return new RunOutcome(null, RunOutcome.Kind.INTERRUPTED, "recorder stopping");
        }
        try {
            SseStream stream = ctx.api().streamByOtid(message);
            Optional<RunOutcome> outcome = drainUnbound(stream);
            if (outcome.isPresent()) {
                return outcome.get();
            }
        } catch (IOException e) {
            log.info("Send {}: no run by otid ({}); discovering", message.otid(), e.getMessage());
        }
        return discover();
    }

    private RunOutcome discover() {
        Instant deadline = ctx.records().clock().instant().plus(ctx.settings().discoveryTimeout());
        List<RunQuery> queries = new ArrayList<>();
        if (message.conversationId() != null && !"default".equals(message.conversationId())) {
            queries.add(RunQuery.newestRunning(null, message.conversationId()));
        }
        if (message.agentId() != null) {
            queries.add(RunQuery.newestRunning(message.agentId(), null));
        }
        while (!ctx.isStopping()) {
            nextWait = ctx.settings().discoveryInterval();
            for (RunQuery query : queries) {
                Optional<Run> found = newestSinceSend(query);
                if (found.isPresent()) {
                    Run run = found.get();
                    log.info("Send {}: discovered run {}", message.otid(), run.id());
                    return registry.drainHere(run.id(), run, "send");
                }
            }
            if (!ctx.records().clock().instant().isBefore(deadline)) {
                break;
            }
            try {
                ctx.sleeper().sleep(nextWait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        log.warn("Send {}: no run found for the message; nothing recorded", message.otid());
        return new RunOutcome(null, RunOutcome.Kind.SEND_FAILED, "no run found for otid " + message.otid());
    }

    private Optional<Run> newestSinceSend(RunQuery query) {
        try {
            List<Run> runs = ctx.api().listRuns(query);
            Instant sent = ctx.api().inLettasTime(startedAt);
            return runs.stream()
                    .filter(run -> run.createdAt() != null && !run.createdAt().isBefore(sent))
                    .filter(Run::isActive)
                    .findFirst();
        } catch (IOException e) {
            log.debug("Send {}: run discovery failed: {}", message.otid(), e.getMessage());
            nextWait = RetryAfter.atLeast(e, nextWait);
            return Optional.empty();
        }
    }
}
