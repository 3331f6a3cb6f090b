package dev.lsr.recorder.log.internal;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.RunState;
import dev.lsr.kernel.Lifecycle;
import dev.lsr.kernel.LifecycleState;
import dev.lsr.recorder.log.OwnershipListener;
import dev.lsr.recorder.log.PartitionStoppedException;
import dev.lsr.recorder.log.RunLog;
import dev.lsr.recorder.log.RunLogClosedException;
import dev.lsr.recorder.log.RunLogConfig;
import dev.lsr.recorder.log.RunLogFailure;
import dev.lsr.recorder.log.RunLogListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka {@link RunLog}: routes each record to its partition's queue (after the oversize guard; the
 * queue applies the partition's share of the pending-bytes budget), answers checkpoints from the
 * committed store, and runs the lifecycle.
 * The transactions themselves live in {@link PartitionCommitter} and {@link TransactionDriver}, the give and take of
 * partitions in {@link PartitionHandover}.
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

    private RunLogStartup startup;

    private GroupMembership membership;
    /** Outside a fleet: gives up and takes again the partitions that stop; null in a fleet. */
    private StandaloneRetakes retakes;
    /** Outside a fleet: the partitions owned from the start; the log stops once every one of them is stopped. */
    private volatile int ownedAlone;

    private final PartitionHandover handover;
    /** The close's one deadline, shared by its steps (the group's leave, the offers, the committers); null before. */
    private volatile Deadline closing;

    private FleetOffers offers;
    private volatile TombstoneRounds tombstones;

    public TransactionalRunLog(RunLogConfig config, RunLogListener listener, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = new SafeListener(Objects.requireNonNull(listener, "listener"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lifecycle = new Lifecycle("run log " + config.chunkTopic(), LOG);
        this.handover = new PartitionHandover(config, this.listener, store, stopped, new HandoverLog());
    }

    @Override
    public void start() {
        lifecycle.transition(LifecycleState.CREATED, LifecycleState.STARTING);
        if (!config.inFleet()) {
            retakes = new StandaloneRetakes(config.chunkTopic(), handover, clock);
        }
        try {
            startup = new RunLogStartup(config, listener, clock, store, this::failed);
            running = startup.start();
        } catch (RuntimeException e) {
            lifecycle.transition(LifecycleState.STARTING, LifecycleState.FAILED);
            throw e;
        }
        lifecycle.transition(LifecycleState.STARTING, LifecycleState.RUNNING);
        if (retakes != null) {
            ownedAlone = running.slots().size();
            retakes.start();
        }
        tombstones = new TombstoneRounds(config, store, () -> running, clock).start();
        if (config.inFleet()) {
            // joins once RUNNING: the runs of the first assignment append at once
            offers = new FleetOffers(
                    config.intakeTopic(), new KafkaProducer<>(KafkaClients.intakeProducer(config)), FleetOffers.RETRY);
            membership = new GroupMembership(config, handover, clock).start();
            if (!membership.awaitFirstAssignment(config.startTimeout())) {
                LOG.warn(
                        "fleet {}: no assignment within {}; recording starts when the group assigns partitions",
                        config.groupId(),
                        config.startTimeout());
            }
        }
    }

    @Override
    public void whenOwnershipChanges(OwnershipListener value) {
        handover.whenOwnershipChanges(value);
    }

    @Override
    public boolean owns(String runId) {
        RunLogStartup.Running run = running;
        if (run == null) {
            return false;
        }
        int partition = run.partitionOf(runId);
        return run.slots().containsKey(partition) && !handover.leaving(partition);
    }

    @Override
    public java.util.function.Predicate<String> runsOf(Set<Integer> partitions) {
        RunLogStartup.Running run = running;
        Set<Integer> copy = Set.copyOf(partitions);
        return runId -> copy.contains(run.partitionOf(runId));
    }

    @Override
    public void offer(String runId, String mode) {
        FleetOffers fleet = offers;
        if (fleet != null) {
            fleet.offer(runId, mode);
        }
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
        PartitionSlot slot = slotFor(run, record.runId());
        Pending pending = Pending.of(record, stateAfter, slot.id(), clock.instant());
        if (!run.guard().fits(pending.guardBytes())) {
            int size = pending.guardBytes();
            Instant now = clock.instant();
            ChunkLogRecord replacement = run.guard()
                    .standIn(
                            record,
                            size,
                            smaller -> run.guard()
                                    .fits(Pending.of(smaller, stateAfter, slot.id(), now)
                                            .guardBytes()));
            pending = pending.replacedBy(replacement, slot.id());
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

    /**
     * The run's partition's slot; outside a fleet, a partition given up after it stopped (until it is taken again)
     * refuses the run's records as stopped.
     */
    private PartitionSlot slotFor(RunLogStartup.Running run, String runId) {
        int partition = run.partitionOf(runId);
        RunLogFailure stop = stopped.get(partition);
        if (stop != null && !run.inFleet() && !run.slots().containsKey(partition)) {
            throw new PartitionStoppedException(stop.message(), stop.cause());
        }
        return run.slotFor(runId);
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
    public long uncommittedRecords() {
        RunLogStartup.Running run = running;
        return run == null ? 0 : uncommitted(run);
    }

    private static long uncommitted(RunLogStartup.Running run) {
        return run.slots().values().stream()
                .mapToLong(slot -> slot.queue().uncommitted())
                .sum();
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
        // one bound for the whole close: the steps' own bounds added up to several times the close timeout
        Deadline deadline = Deadline.after(config.closeTimeout());
        closing = deadline;
        if (tombstones != null) {
            tombstones.stop();
        }
        if (retakes != null) {
            // a take under way finishes (one that restored past the close gives its partition up again)
            retakes.close(deadline.remaining());
        }
        if (membership != null) {
            // leaving the group gives every partition up: their runs stop, what they appended is committed
            membership.close(deadline.remaining());
        }
        if (offers != null) {
            // offers the give-ups just made (runs stopped unfinished, records dropped) still have to reach the fleet
            offers.close(deadline.remaining());
        }
        if (run != null) {
            stopCommitters(run, deadline);
        }
        // FAILED means one thing everywhere: it ended because of an error (here: fenced, or no partition left)
        lifecycle.transition(
                LifecycleState.STOPPING, failure.get() == null ? LifecycleState.STOPPED : LifecycleState.FAILED);
    }

    private void stopCommitters(RunLogStartup.Running run, Deadline deadline) {
        run.slots().values().forEach(slot -> slot.queue().close());
        if (!joinCommitters(run, deadline)) {
            long uncommitted = uncommitted(run);
            LOG.warn(
                    "closing with {} records uncommitted after {}; a restarted recorder drains them again from the"
                            + " committed checkpoints",
                    uncommitted,
                    config.closeTimeout());
            run.slots().values().forEach(slot -> slot.queue().abandon());
        }
        // what is left of the deadline, zero once it passed: a producer waiting on a gone broker is not waited for
        run.slots().values().forEach(slot -> slot.producer().close(deadline.remaining()));
        joinCommitters(run, Deadline.after(LAST_JOIN));
        handover.reportUnrecordedAtClose(run.slots().values());
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
     * Called by a committer that stopped. Outside a fleet a fencing stops the log (the first failure wins); any
     * other failure stops that partition alone, logged once and counted, and the log only when no partition is
     * left. A partition stopped alone is given up and taken again with the stop backoff, by the same rule as in a
     * fleet ({@link StandaloneRetakes}), so it records again once its producer can go on, without a restart. In a
     * fleet see {@link #failedInFleet}.
     */
    private void failed(RunLogFailure fatal) {
        if (membership != null) {
            failedInFleet(fatal);
            return;
        }
        if (fatal.kind() != RunLogFailure.Kind.FENCED) {
            if (!fromCommitterHeld(fatal.partition())) {
                // a committer given up already (its join timed out) failing late: the partition it stopped for is
                // being taken again, or held by a new committer; noting its stop would leave the partition stopped
                LOG.warn("partition {} failed after it was given up: {}", fatal.partition(), fatal.message());
                return;
            }
            boolean fresh = stopped.put(fatal.partition(), fatal) == null;
            LOG.error(
                    "partition stopped, the others keep recording; it is taken again once its producer can go on: {}",
                    fatal.message());
            if (fresh) {
                listener.partitionStopped(fatal);
            }
            RunLogStartup.Running run = running;
            // ownedAlone is 0 while the log starts: its partitions are not all known yet
            if (run == null || ownedAlone == 0 || stopped.size() < ownedAlone) {
                // fresh or not: a committer that a take has just started may fail before the take ends
                retakes.stopped(fatal.partition());
                return;
            }
        }
        stopLog(fatal);
    }

    /**
     * In a fleet a partition that failed is given up at once and taken again once the group confirms this member
     * still holds it: a fenced one was lost to another member, one whose producer lost its state to nobody; one
     * stopped on another error (authorization, five re-initialisations) is retried with backoff, so it records again
     * once its producer can go on, and no run of it waits for a rebalance. The member keeps its other partitions either way.
     */
    private void failedInFleet(RunLogFailure fatal) {
        if (fatal.kind() != RunLogFailure.Kind.FATAL) {
            LOG.warn("partition {} lost, the others keep recording: {}", fatal.partition(), fatal.message());
            membership.lost(fatal.partition(), fatal.kind() == RunLogFailure.Kind.FENCED);
            return;
        }
        RunLogStartup.Running run = running;
        if (run == null || !run.slots().containsKey(fatal.partition())) {
            // a committer of a partition already given up, failing late: nothing of it is held here any more
            LOG.warn("partition {} failed after it was given up: {}", fatal.partition(), fatal.message());
            return;
        }
        boolean fresh = stopped.put(fatal.partition(), fatal) == null;
        LOG.error(
                "partition stopped, the others keep recording; this member takes it again once its producer can go on:"
                        + " {}",
                fatal.message());
        if (fresh) {
            listener.partitionStopped(fatal);
        }
        membership.stopped(fatal.partition());
    }

    /**
     * Outside a fleet: whether the calling committer (a committer reports its failure on its own thread) is the one
     * of the partition's slot held now; true while the log starts (no slot is published yet).
     */
    private boolean fromCommitterHeld(int partition) {
        RunLogStartup.Running run = running;
        if (run == null) {
            return true;
        }
        PartitionSlot slot = run.slots().get(partition);
        return slot != null && slot.committer() == Thread.currentThread();
    }

    /** Stops the log (the first failure wins): a fencing outside a fleet, or no partition left. */
    private void stopLog(RunLogFailure fatal) {
        if (!failure.compareAndSet(null, fatal)) {
            LOG.debug("also failed: {}", fatal.message());
            return;
        }
        // the lifecycle stays RUNNING until close(): the committers still have to be stopped and joined
        LOG.error("run log stopped: {}", fatal.message());
        if (retakes != null) {
            retakes.stop();
        }
        RunLogStartup.Running run = running;
        if (run != null) {
            RunLogClosedException reason = new RunLogClosedException(fatal.message(), fatal.cause());
            run.slots().values().forEach(slot -> slot.queue().refuseAppends(reason));
        }
        listener.failed(fatal);
        stoppedByFailure.complete(fatal);
    }

    /** The handover's view of this log. */
    private final class HandoverLog implements PartitionHandover.Log {

        @Override
        public RunLogStartup.Running running() {
            return running;
        }

        @Override
        public Map<String, Checkpoint> acquire(SortedSet<Integer> partitions) {
            return startup.acquire(running, partitions, Deadline.after(config.startTimeout()));
        }

        @Override
        public Deadline closing() {
            return closing;
        }

        @Override
        public boolean failed() {
            return failure.get() != null;
        }

        @Override
        public void offer(String runId, String mode) {
            TransactionalRunLog.this.offer(runId, mode);
        }

        @Override
        public void stop(RunLogFailure fatal) {
            stopLog(fatal);
        }
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
