package dev.lsr.recorder.log.internal;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.RunState;
import dev.lsr.kernel.Lifecycle;
import dev.lsr.kernel.LifecycleState;
import dev.lsr.recorder.log.RunLog;
import dev.lsr.recorder.log.RunLogClosedException;
import dev.lsr.recorder.log.RunLogConfig;
import dev.lsr.recorder.log.RunLogFailure;
import dev.lsr.recorder.log.RunLogListener;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka {@link RunLog}: routes each record to its partition's queue (after the oversize guard; the
 * queue applies the partition's share of the pending-bytes budget), answers checkpoints from the
 * committed store, and runs the lifecycle.
 * The transactions themselves live in {@link PartitionCommitter} and {@link TransactionDriver}.
 */
public final class TransactionalRunLog implements RunLog {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalRunLog.class);
    private static final Duration LAST_JOIN = Duration.ofSeconds(2);

    private final RunLogConfig config;
    private final RunLogListener listener;
    private final Clock clock;
    private final Lifecycle lifecycle;
    private final CheckpointStore store = new CheckpointStore();
    private final AtomicReference<RunLogFailure> failure = new AtomicReference<>();
    private final Map<Integer, RunLogFailure> stopped = new ConcurrentHashMap<>();
    private final CompletableFuture<RunLogFailure> stoppedByFailure = new CompletableFuture<>();
    private volatile RunLogStartup.Running running;

    public TransactionalRunLog(RunLogConfig config, RunLogListener listener, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = new SafeListener(Objects.requireNonNull(listener, "listener"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lifecycle = new Lifecycle("run log " + config.chunkTopic(), LOG);
    }

    @Override
    public void start() {
        lifecycle.transition(LifecycleState.CREATED, LifecycleState.STARTING);
        try {
            running = new RunLogStartup(config, listener, clock, store, this::failed).start();
        } catch (RuntimeException e) {
            lifecycle.transition(LifecycleState.STARTING, LifecycleState.FAILED);
            throw e;
        }
        lifecycle.transition(LifecycleState.STARTING, LifecycleState.RUNNING);
    }

    @Override
    public Map<String, Checkpoint> activeRuns() {
        requireStarted();
        return store.active();
    }

    @Override
    public Optional<Checkpoint> checkpoint(String runId) {
        requireStarted();
        return store.find(runId);
    }

    @Override
    public void append(ChunkLogRecord record, RunState stateAfter) {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(stateAfter, "stateAfter");
        RunLogStartup.Running run = requireRunning();
        PartitionSlot slot = run.slotFor(record.runId());
        Pending pending = Pending.of(record, stateAfter, slot.id(), clock.instant());
        if (!run.guard().fits(pending.guardBytes())) {
            int size = pending.guardBytes();
            pending = pending.replacedBy(run.guard().rejection(record, size), slot.id());
            LOG.warn(
                    "run {}: record at position {} is about {} bytes, over Kafka's limit of {}; appending {} instead",
                    record.runId(),
                    record.position(),
                    size,
                    run.guard().limitBytes(),
                    pending.record().type());
            listener.recordRejected(
                    record.runId(), record.position(), size, run.guard().limitBytes());
        }
        slot.queue().add(pending);
        listener.recordAppended(record.runId(), pending.record().type(), pending.sizeBytes());
    }

    @Override
    public void flush() {
        RunLogStartup.Running run = requireRunning();
        run.slots().values().forEach(slot -> slot.queue().awaitCommitted());
        requireRunning();
    }

    @Override
    public Optional<RunLogFailure> failure() {
        return Optional.ofNullable(failure.get());
    }

    @Override
    public void whenFailed(Consumer<RunLogFailure> callback) {
        Objects.requireNonNull(callback, "callback");
        stoppedByFailure.thenAccept(fatal -> {
            try {
                callback.accept(fatal);
            } catch (RuntimeException e) {
                LOG.warn("a failure callback of the run log threw; ignored", e);
            }
        });
    }

    @Override
    public Map<Integer, RunLogFailure> stoppedPartitions() {
        return Map.copyOf(stopped);
    }

    @Override
    public void close() {
        if (lifecycle.state() == LifecycleState.CREATED
                && lifecycle.tryTransition(LifecycleState.CREATED, LifecycleState.STOPPED)) {
            return;
        }
        if (!lifecycle.tryTransition(LifecycleState.RUNNING, LifecycleState.STOPPING)) {
            return;
        }
        RunLogStartup.Running run = running;
        if (run != null) {
            stopCommitters(run, Deadline.after(config.closeTimeout()));
        }
        // FAILED means one thing everywhere: it ended because of an error (here: fenced, or no partition left)
        lifecycle.transition(
                LifecycleState.STOPPING, failure.get() == null ? LifecycleState.STOPPED : LifecycleState.FAILED);
    }

    private void stopCommitters(RunLogStartup.Running run, Deadline deadline) {
        run.slots().values().forEach(slot -> slot.queue().close());
        if (!joinCommitters(run, deadline)) {
            long uncommitted = run.slots().values().stream()
                    .mapToLong(slot -> slot.queue().uncommitted())
                    .sum();
            LOG.warn(
                    "closing with {} records uncommitted after {}; a restarted recorder drains them again from the"
                            + " committed checkpoints",
                    uncommitted,
                    config.closeTimeout());
            run.slots().values().forEach(slot -> slot.queue().abandon());
        }
        Duration producerClose = deadline.remaining().compareTo(LAST_JOIN) > 0 ? deadline.remaining() : LAST_JOIN;
        run.slots().values().forEach(slot -> slot.producer().close(producerClose));
        joinCommitters(run, Deadline.after(LAST_JOIN));
    }

    private static boolean joinCommitters(RunLogStartup.Running run, Deadline deadline) {
        try {
            for (PartitionSlot slot : run.slots().values()) {
                if (!slot.committer().join(deadline.remaining())) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Called by a committer that stopped. A fencing stops the log (the first failure wins); any other
     * failure stops that partition alone, logged once and counted, and the log only when no partition is
     * left.
     */
    private void failed(RunLogFailure fatal) {
        if (fatal.kind() != RunLogFailure.Kind.FENCED) {
            stopped.put(fatal.partition(), fatal);
            LOG.error("partition stopped, the others keep recording: {}", fatal.message());
            listener.partitionStopped(fatal);
            RunLogStartup.Running run = running;
            if (run == null || stopped.size() < run.slots().size()) {
                return;
            }
        }
        if (!failure.compareAndSet(null, fatal)) {
            LOG.debug("also failed: {}", fatal.message());
            return;
        }
        // the lifecycle stays RUNNING until close(): the committers still have to be stopped and joined
        LOG.error("run log stopped: {}", fatal.message());
        RunLogStartup.Running run = running;
        if (run != null) {
            RunLogClosedException reason = new RunLogClosedException(fatal.message(), fatal.cause());
            run.slots().values().forEach(slot -> slot.queue().refuseAppends(reason));
        }
        listener.failed(fatal);
        stoppedByFailure.complete(fatal);
    }

    private void requireStarted() {
        LifecycleState state = lifecycle.state();
        if (state == LifecycleState.CREATED || state == LifecycleState.STARTING) {
            throw new IllegalStateException("run log is " + state + "; call start() first");
        }
    }

    private RunLogStartup.Running requireRunning() {
        RunLogFailure fatal = failure.get();
        if (fatal != null) {
            throw new RunLogClosedException(fatal.message(), fatal.cause());
        }
        LifecycleState state = lifecycle.state();
        if (state == LifecycleState.RUNNING) {
            return running;
        }
        if (state == LifecycleState.CREATED || state == LifecycleState.STARTING) {
            throw new IllegalStateException("run log is " + state + "; call start() first");
        }
        throw new RunLogClosedException("run log is closed");
    }
}
