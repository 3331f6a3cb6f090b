package dev.lsr.recorder.internal.daemon;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.LogLayout;
import dev.lsr.recorder.internal.intake.RunRegistry;
import dev.lsr.recorder.log.OwnershipListener;
import dev.lsr.recorder.log.RunLog;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder's side of partition ownership: on assignment it continues the partitions' active runs from their
 * committed checkpoints (forgetting what it remembered of them from an earlier hold); on revocation it stops those
 * runs first, so the log commits what they appended before it lets the partitions go. Runs offered are recorded. In
 * a fleet the group assigns and revokes, runs are offered through the intake topic, and the owner of partition 0
 * watches Letta for the whole fleet ({@link #fleet}). A recorder alone gives up and takes again a partition whose
 * producer could not go on, is offered the runs whose records were dropped uncommitted meanwhile, and watches
 * whatever its partitions do ({@link #alone}).
 */
final class PartitionSeat implements OwnershipListener {

    private static final Logger log = LoggerFactory.getLogger(PartitionSeat.class);
    /** The member that owns this partition lists Letta's runs for the fleet (the layout record's partition). */
    static final int WATCHING_PARTITION = LogLayout.PARTITION;

    private final RunLog runLog;
    private final RunRegistry registry;
    /** The fleet's watcher, started and stopped with partition 0; null alone (its watcher is not this seat's). */
    private final Watching watching;
    /** Alone: the runs stopped unfinished when a partition was given up; null in a fleet (handed to the fleet). */
    private final GivenUpRuns givenUp;

    private final Duration stopTimeout;
    private final BooleanSupplier recorderStopping;

    /**
     * A fleet member's seat.
     *
     * @param recorderStopping true once the whole recorder stops: it has stopped its runs and waited for them
     *                         already, so a revocation (the log's close leaving the group) does not wait again and
     *                         leaves the close's time to the last commits
     */
    static PartitionSeat fleet(
            RunLog runLog,
            RunRegistry registry,
            Watching watching,
            Duration stopTimeout,
            BooleanSupplier recorderStopping) {
        return new PartitionSeat(
                runLog, registry, java.util.Objects.requireNonNull(watching), null, stopTimeout, recorderStopping);
    }

    /**
     * A recorder alone's seat: it never starts or stops the watcher, and once a partition is taken again it attaches
     * once more the runs {@code givenUp} kept (stopped unfinished by the give-up) and those whose session failed while
     * the partition was away (its appends refused as stopped), which the take's checkpoints may not know.
     */
    static PartitionSeat alone(
            RunLog runLog,
            RunRegistry registry,
            GivenUpRuns givenUp,
            Duration stopTimeout,
            BooleanSupplier recorderStopping) {
        return new PartitionSeat(
                runLog, registry, null, java.util.Objects.requireNonNull(givenUp), stopTimeout, recorderStopping);
    }

    private PartitionSeat(
            RunLog runLog,
            RunRegistry registry,
            Watching watching,
            GivenUpRuns givenUp,
            Duration stopTimeout,
            BooleanSupplier recorderStopping) {
        this.runLog = runLog;
        this.registry = registry;
        this.watching = watching;
        this.givenUp = givenUp;
        this.stopTimeout = stopTimeout;
        this.recorderStopping = recorderStopping;
    }

    @Override
    public void assigned(Set<Integer> partitions, Collection<Checkpoint> activeRuns) {
        var runsOf = runLog.runsOf(partitions);
        Map<String, String> again = new TreeMap<>();
        if (givenUp != null) {
            again.putAll(givenUp.takeOut(runsOf));
            again.putAll(registry.takeFailedSessions(runsOf));
        }
        registry.forget(runsOf);
        log.info("Continuing {} active run(s) of partitions {} from their checkpoints", activeRuns.size(), partitions);
        activeRuns.forEach(registry::restore);
        if (!again.isEmpty()) {
            // after the restores: a run continued from its checkpoint is claimed already, this attach joins it
            log.info(
                    "Attaching again {} run(s) left unfinished while partitions {} were away",
                    again.size(),
                    partitions);
            again.forEach((runId, mode) -> registry.attach(runId, null, mode));
        }
        if (watching != null && partitions.contains(WATCHING_PARTITION)) {
            log.info("This member owns partition {}: it watches Letta's runs for the fleet", WATCHING_PARTITION);
            watching.start();
        }
    }

    @Override
    public void revoking(Set<Integer> partitions) {
        if (watching != null && partitions.contains(WATCHING_PARTITION)) {
            watching.stop();
        }
        try {
            Duration wait = recorderStopping.getAsBoolean() ? Duration.ZERO : stopTimeout.dividedBy(2);
            if (!registry.giveUp(runLog.runsOf(partitions), wait)) {
                log.warn(
                        "Some runs of partitions {} did not stop in time; the log commits what they appended",
                        partitions);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void offered(String runId, String mode) {
        registry.attachOffered(runId, mode);
    }
}
