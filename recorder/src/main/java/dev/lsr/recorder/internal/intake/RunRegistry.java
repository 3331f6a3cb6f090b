package dev.lsr.recorder.internal.intake;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.recorder.RunOutcome;
import dev.lsr.recorder.SendMessage;
import dev.lsr.recorder.internal.drain.AppenderClosedException;
import dev.lsr.recorder.internal.letta.Run;
import dev.lsr.recorder.internal.run.RecorderFailure;
import dev.lsr.recorder.internal.run.RunSession;
import dev.lsr.recorder.internal.run.SessionContext;
import dev.lsr.recorder.log.UnreadableCheckpointException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The runs being recorded: one virtual thread per run, at most one recording per run id, the run id
 * in the MDC for the thread's whole life. Decides at claim time whether the log already holds the
 * run (ended: skip; active: continue from its checkpoint).
 */
public final class RunRegistry {

    private static final Logger log = LoggerFactory.getLogger(RunRegistry.class);
    /** The MDC key that carries the run id. */
    public static final String MDC_RUN_ID = "run_id";

    private final SessionContext ctx;
    private final CheckpointLookup checkpoints;
    private final Consumer<RuntimeException> onFatal;
    private final ConcurrentHashMap<String, CompletableFuture<RunOutcome>> active = new ConcurrentHashMap<>();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final EndedRuns ended = new EndedRuns(100_000);

    /**
     * @param onFatal told when a run hits a failure the whole recorder cannot continue after
     */
    public RunRegistry(SessionContext ctx, CheckpointLookup checkpoints, Consumer<RuntimeException> onFatal) {
        this.ctx = ctx;
        this.checkpoints = checkpoints;
        this.onFatal = onFatal;
    }

    /** True when the run is being recorded or its recording ended lately. */
    public boolean isKnown(String runId) {
        return active.containsKey(runId) || ended.contains(runId);
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
        return claim(runId, future -> start("run-" + runId, runId, () -> drainClaimed(runId, run, mode), future));
    }

    /** Continues a run the log holds as active (after a restart). */
    public CompletableFuture<RunOutcome> restore(Checkpoint checkpoint) {
        return claim(checkpoint.runId(), future -> start("run-" + checkpoint.runId(), checkpoint.runId(),
                () -> RunSession.restored(ctx, checkpoint.runId(), checkpoint.agentId(), checkpoint.conversationId(),
                        checkpoint.lastPosition()).drain(), future));
    }

    /** Sends a message and records its run. */
    public CompletableFuture<RunOutcome> send(SendMessage message) {
        CompletableFuture<RunOutcome> future = new CompletableFuture<>();
        start("send-" + message.otid(), null, () -> new SendSession(ctx, this, message).run(), future);
        return future;
    }

    /**
     * Drains a run on the calling thread, which must be a recording thread (used by a send once it
     * knows its run id). Returns the outcome of the recording that owns the run.
     */
    RunOutcome drainHere(String runId, Supplier<RunOutcome> drain) {
        CompletableFuture<RunOutcome> mine = new CompletableFuture<>();
        CompletableFuture<RunOutcome> owner = active.putIfAbsent(runId, mine);
        if (owner != null) {
            return owner.join();
        }
        MDC.put(MDC_RUN_ID, runId);
        RunOutcome outcome = guarded(runId, drain);
        release(runId, outcome, mine);
        return outcome;
    }

    /** Claims a run for a session that already started on this thread; empty when another recording owns it. */
    Optional<CompletableFuture<RunOutcome>> tryClaimHere(String runId, CompletableFuture<RunOutcome> mine) {
        CompletableFuture<RunOutcome> owner = active.putIfAbsent(runId, mine);
        if (owner != null) {
            return Optional.of(owner);
        }
        MDC.put(MDC_RUN_ID, runId);
        return Optional.empty();
    }

    /** Ends a claim made with {@link #tryClaimHere}. */
    void release(String runId, RunOutcome outcome, CompletableFuture<RunOutcome> mine) {
        active.remove(runId, mine);
        if (outcome.kind() != RunOutcome.Kind.INTERRUPTED && outcome.kind() != RunOutcome.Kind.FAILED) {
            ended.add(runId);
        }
        mine.complete(outcome);
    }

    /** Runs {@code drain}, turning failures into outcomes: fatal ones are reported, others stay with the run. */
    RunOutcome guarded(String runId, Supplier<RunOutcome> drain) {
        try {
            return drain.get();
        } catch (AppenderClosedException | RecorderFailure e) {
            onFatal.accept(e);
            return new RunOutcome(runId, RunOutcome.Kind.FAILED, e.getMessage());
        } catch (RuntimeException e) {
            log.error("Run {}: recording failed; the run stays active in its checkpoint", runId, e);
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
        if (ended.contains(runId)) {
            return CompletableFuture.completedFuture(new RunOutcome(runId, RunOutcome.Kind.ALREADY_RECORDED, "recorded lately"));
        }
        CompletableFuture<RunOutcome> mine = new CompletableFuture<>();
        CompletableFuture<RunOutcome> owner = active.putIfAbsent(runId, mine);
        if (owner != null) {
            return owner;
        }
        starter.accept(mine);
        return mine;
    }

    private void start(String name, String runId, Supplier<RunOutcome> work, CompletableFuture<RunOutcome> future) {
        Thread thread = Thread.ofVirtual().name(name).unstarted(() -> {
            try {
                if (runId == null) {
                    future.complete(guarded(null, work));
                    return;
                }
                MDC.put(MDC_RUN_ID, runId);
                release(runId, guarded(runId, work), future);
            } finally {
                MDC.clear();
                threads.remove(Thread.currentThread());
            }
        });
        threads.add(thread);
        thread.start();
    }

    private RunOutcome drainClaimed(String runId, Run run, String mode) {
        Optional<Checkpoint> checkpoint;
        try {
            checkpoint = checkpoints.checkpoint(runId);
        } catch (UnreadableCheckpointException e) {
            // logged and counted once at the restore; recording it anew would duplicate what the log holds
            log.debug("Run {}: not recorded: {}", runId, e.getMessage());
            return new RunOutcome(runId, RunOutcome.Kind.CHECKPOINT_UNREADABLE, e.getMessage());
        }
        if (checkpoint.isPresent() && checkpoint.get().state().isTerminal()) {
            log.debug("Run {}: already recorded ({})", runId, checkpoint.get().state());
            return new RunOutcome(runId, RunOutcome.Kind.ALREADY_RECORDED, checkpoint.get().state().name());
        }
        if (checkpoint.isPresent()) {
            Checkpoint active = checkpoint.get();
            return RunSession.restored(ctx, runId, active.agentId(), active.conversationId(), active.lastPosition()).drain();
        }
        return RunSession.fresh(ctx, runId, run != null ? run : tryGetRun(runId), mode).drain();
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
