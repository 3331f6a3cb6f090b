package dev.lsr.recorder.log.internal;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.RunState;
import dev.lsr.recorder.log.OwnershipListener;
import dev.lsr.recorder.log.PartitionLostException;
import dev.lsr.recorder.log.RunLogConfig;
import dev.lsr.recorder.log.RunLogFailure;
import dev.lsr.recorder.log.RunLogListener;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run log's side of partition ownership: takes and gives partitions, on the membership thread in a fleet, on
 * the retake thread outside one ({@link StandaloneRetakes}). Holds what only the take and the give use (the ownership
 * listener, the partitions being given up, the takes failing, the runs dropped uncommitted outside a fleet) and asks
 * the {@link TransactionalRunLog} it belongs to for the rest ({@link Log}).
 */
final class PartitionHandover implements GroupMembership.Owner {

    /** The run log's logger: the give and take are its lines. */
    private static final Logger LOG = LoggerFactory.getLogger(TransactionalRunLog.class);

    /**
     * The mode a run is offered to the fleet with when its records were dropped uncommitted (its partition stopped):
     * the mode its session had is not known here; an offer read without a mode has the same.
     */
    static final String DROPPED_RUN_MODE = "intake";

    /** What the handover asks of the run log it belongs to. */
    interface Log {

        /** The running log's slots and partitioning; null before it started. */
        RunLogStartup.Running running();

        /** Takes the partitions (fencing their previous owner) and restores their checkpoints. */
        Map<String, Checkpoint> acquire(SortedSet<Integer> partitions);

        /** The close's one deadline; null before the close began. */
        Deadline closing();

        /** Whether the log stopped on a failure (nothing records any more). */
        boolean failed();

        /** Offers a run to the fleet (nothing outside one). */
        void offer(String runId, String mode);

        /** Stops the log (the first failure wins). */
        void stop(RunLogFailure fatal);
    }

    private final RunLogConfig config;
    private final RunLogListener listener;
    private final CheckpointStore store;
    /** The log's stopped partitions, by partition: a take ends their stop, as does their unassignment. */
    private final Map<Integer, RunLogFailure> stopped;

    private final Log log;
    private volatile OwnershipListener ownership = OwnershipListener.NONE;
    /**
     * Partitions being given up: their runs are stopping and their queues about to be committed and closed, so
     * no new recording of their runs may start here (it would continue from the committed checkpoint while the
     * stopped session's last records are still queued, and record those positions twice).
     */
    private final Set<Integer> leaving = ConcurrentHashMap.newKeySet();
    /** Partitions whose last take failed: a take that fails again is logged at debug only (logged once). */
    private final Set<Integer> failingTakes = ConcurrentHashMap.newKeySet();
    /**
     * Outside a fleet, by partition: the runs whose records were dropped uncommitted when it was given up, handed to
     * the ownership listener once it is taken again (there is no fleet to offer them to).
     */
    private final Map<Integer, Set<String>> droppedAlone = new ConcurrentHashMap<>();

    PartitionHandover(
            RunLogConfig config,
            RunLogListener listener,
            CheckpointStore store,
            Map<Integer, RunLogFailure> stopped,
            Log log) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.store = Objects.requireNonNull(store, "store");
        this.stopped = Objects.requireNonNull(stopped, "stopped");
        this.log = Objects.requireNonNull(log, "log");
    }

    void whenOwnershipChanges(OwnershipListener value) {
        ownership = Objects.requireNonNull(value, "listener");
    }

    /** Whether the partition is being given up now: no recording of its runs may start here. */
    boolean leaving(int partition) {
        return leaving.contains(partition);
    }

    @Override
    public boolean take(SortedSet<Integer> partitions) {
        long began = System.nanoTime();
        Map<Integer, RunLogFailure> stoppedBefore = new HashMap<>();
        partitions.forEach(p -> {
            RunLogFailure failure = stopped.get(p);
            if (failure != null) {
                stoppedBefore.put(p, failure);
            }
        });
        if (log.closing() != null || log.failed()) {
            // the membership thread outlived the close's wait for it: taking now would start committers and
            // producers after the close stopped them, never to be stopped (or the log stopped: nothing records)
            return false;
        }
        Map<String, Checkpoint> restored;
        try {
            restored = log.acquire(partitions);
        } catch (RuntimeException e) {
            if (failingTakes.addAll(partitions)) {
                LOG.error(
                        "could not take partitions {} of {}: {}; trying again with backoff (logged again once"
                                + " taken)",
                        partitions,
                        config.chunkTopic(),
                        e.getMessage());
            } else {
                LOG.debug(
                        "could not take partitions {} of {} again: {}",
                        partitions,
                        config.chunkTopic(),
                        e.getMessage());
            }
            return false;
        }
        if (failingTakes.removeAll(partitions)) {
            LOG.info("partitions {} of {}: taken after failed attempts", partitions, config.chunkTopic());
        }
        if (log.closing() != null) {
            // the close began while this take restored: its committers would outlive the close
            giveUp(partitions, "the log closes");
            return false;
        }
        List<Checkpoint> active = restored.values().stream()
                .filter(c -> c.state() == RunState.ACTIVE)
                .toList();
        LOG.info(
                "took partitions {} of {}: fenced their previous owner, restored {} checkpoints, continuing {}"
                        + " active runs",
                partitions,
                config.chunkTopic(),
                restored.size(),
                active.size());
        try {
            ownership.assigned(partitions, active);
        } catch (RuntimeException e) {
            LOG.warn("the ownership listener failed on {}; ignored", partitions, e);
        }
        handBackDropped(partitions, active);
        // the stops before this take are over, once its runs started again (a partition no longer stopped has its
        // runs under way: a recorder that stops when idle looks at both); one of the new committers (failing
        // already) is not
        stoppedBefore.forEach((partition, failure) -> {
            if (stopped.remove(partition, failure)) {
                listener.stoppedPartitionReleased(partition);
            }
        });
        listener.partitionsTaken(partitions.size(), Duration.ofNanos(System.nanoTime() - began));
        return true;
    }

    /**
     * Outside a fleet: hands the ownership listener the runs whose records were dropped uncommitted when these
     * partitions were given up and that this take does not continue (one with nothing committed has no
     * checkpoint). The listener skips those being recorded already, and those their checkpoints show ended.
     */
    private void handBackDropped(SortedSet<Integer> partitions, List<Checkpoint> continued) {
        Set<String> continuedIds = continued.stream().map(Checkpoint::runId).collect(Collectors.toSet());
        for (int partition : partitions) {
            Set<String> dropped = droppedAlone.remove(partition);
            List<String> runIds = dropped == null
                    ? List.of()
                    : dropped.stream()
                            .filter(r -> !continuedIds.contains(r))
                            .sorted()
                            .toList();
            if (runIds.isEmpty()) {
                continue;
            }
            LOG.info(
                    "partition {} of {}: {} run(s) had records dropped uncommitted; recording them again",
                    partition,
                    config.chunkTopic(),
                    runIds.size());
            runIds.forEach(runId -> {
                try {
                    ownership.offered(runId, DROPPED_RUN_MODE);
                } catch (RuntimeException e) {
                    LOG.warn("run {}: the ownership listener failed on it; ignored", runId, e);
                }
            });
        }
    }

    /**
     * Outside a fleet, at the log's close: names the runs whose records were dropped uncommitted (by a give-up that no
     * take undid, or in a partition that stopped or did not finish committing during the close) and of which nothing
     * is committed. The next start has no checkpoint to continue them from: it records them only if they are attached
     * again or its watcher finds them. A run with a checkpoint is continued from it.
     */
    void reportUnrecordedAtClose(Collection<PartitionSlot> held) {
        if (config.inFleet()) {
            return; // offered to the fleet as they were dropped
        }
        Set<String> dropped = new TreeSet<>();
        droppedAlone.values().forEach(dropped::addAll);
        held.forEach(slot -> dropped.addAll(slot.queue().droppedRuns()));
        List<String> nothingCommitted =
                dropped.stream().filter(runId -> store.get(runId) == null).toList();
        if (!nothingCommitted.isEmpty()) {
            LOG.warn(
                    "closing with {} run(s) of {} not recorded: their records were dropped uncommitted and nothing of"
                            + " them is committed, so the next start records them only if they are attached again"
                            + " or its watcher finds them: {}",
                    nothingCommitted.size(),
                    config.chunkTopic(),
                    nothingCommitted);
        }
    }

    @Override
    public void give(SortedSet<Integer> partitions, String why) {
        leaving.addAll(partitions);
        try {
            giveUp(partitions, why);
        } finally {
            leaving.removeAll(partitions);
        }
    }

    private void giveUp(SortedSet<Integer> partitions, String why) {
        try {
            ownership.revoking(partitions);
        } catch (RuntimeException e) {
            LOG.warn("the ownership listener failed on {}; ignored", partitions, e);
        }
        RunLogStartup.Running run = log.running();
        Deadline closeDeadline = log.closing();
        Deadline deadline = closeDeadline != null ? closeDeadline : Deadline.after(config.closeTimeout());
        for (int partition : partitions) {
            PartitionSlot slot = run.slots().remove(partition);
            if (slot == null) {
                continue;
            }
            slot.queue()
                    .handOver(new PartitionLostException("partition " + partition + " of " + config.chunkTopic()
                            + (config.inFleet() ? " moved to another fleet member" : " given up") + " (" + why
                            + ")"));
            try {
                if (!slot.committer().join(deadline.remaining())) {
                    LOG.warn(
                            "{}: {} records not committed when giving it up; its next owner drains them again",
                            slot.id(),
                            slot.queue().uncommitted());
                    slot.queue().abandon();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                slot.queue().abandon();
            }
            slot.producer().close(Duration.ZERO);
            if (config.inFleet()) {
                offerDropped(slot.queue().droppedRuns(), partition);
            } else {
                droppedAlone.merge(partition, slot.queue().droppedRuns(), (a, b) -> {
                    Set<String> both = new HashSet<>(a);
                    both.addAll(b);
                    return both;
                });
            }
        }
        if (config.inFleet()) {
            // another member commits them now; alone, the committed checkpoints stay true until the next take
            store.forget(runId -> partitions.contains(run.partitionOf(runId)));
        }
        LOG.info("gave up partitions {} of {} ({})", partitions, config.chunkTopic(), why);
    }

    /**
     * Offers to the fleet the runs whose records were dropped uncommitted: one with nothing committed has no
     * checkpoint, so the partition's next take would not continue it, and its session may have ended already.
     * The taker skips those its checkpoints show ended, and continues the others.
     */
    private void offerDropped(Set<String> runIds, int partition) {
        if (runIds.isEmpty()) {
            return;
        }
        LOG.info(
                "partition {} of {}: {} run(s) had records dropped uncommitted; offered to the fleet",
                partition,
                config.chunkTopic(),
                runIds.size());
        runIds.forEach(runId -> log.offer(runId, DROPPED_RUN_MODE));
    }

    /** Stopped partitions stop counting as stopped here once taken again ({@link #take}), or no longer assigned. */
    @Override
    public void unassigned(SortedSet<Integer> partitions) {
        for (int partition : partitions) {
            if (stopped.remove(partition) != null) {
                listener.stoppedPartitionReleased(partition);
            }
        }
    }

    @Override
    public Set<Integer> held() {
        RunLogStartup.Running run = log.running();
        return run == null ? Set.of() : run.slots().keySet();
    }

    @Override
    public void offered(String runId, String mode) {
        ownership.offered(runId, mode);
    }

    @Override
    public void rebalanced(int owned) {
        listener.rebalanced(owned);
    }

    @Override
    public void foreignOwner(int partition, String message) {
        log.stop(new RunLogFailure(RunLogFailure.Kind.FENCED, partition, message, null));
    }

    @Override
    public void membershipFailed(String message, Throwable cause) {
        log.stop(new RunLogFailure(RunLogFailure.Kind.FATAL, RunLogFailure.NO_PARTITION, message, cause));
    }
}
