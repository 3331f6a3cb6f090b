package dev.lsr.recorder.internal.daemon;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.LogLayout;
import dev.lsr.recorder.internal.intake.RunRegistry;
import dev.lsr.recorder.log.OwnershipListener;
import dev.lsr.recorder.log.RunLog;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet member's recorder side of ownership: on assignment it continues the partitions' active runs from
 * their committed checkpoints (forgetting what it remembered of them from an earlier hold), and the owner of
 * partition 0 watches Letta for the whole fleet; on revocation it stops those runs first, so the log commits
 * what they appended before it lets the partitions go. Runs offered through the intake topic are recorded.
 */
final class FleetSeat implements OwnershipListener {

    private static final Logger log = LoggerFactory.getLogger(FleetSeat.class);
    /** The member that owns this partition lists Letta's runs for the fleet (the layout record's partition). */
    static final int WATCHING_PARTITION = LogLayout.PARTITION;

    private final RunLog runLog;
    private final RunRegistry registry;
    private final Watching watching;
    private final Duration stopTimeout;
    private final BooleanSupplier recorderStopping;

    /**
     * @param recorderStopping true once the whole recorder stops: it has stopped its runs and waited for them
     *                         already, so a revocation (the log's close leaving the group) does not wait again and
     *                         leaves the close's time to the last commits
     */
    FleetSeat(
            RunLog runLog,
            RunRegistry registry,
            Watching watching,
            Duration stopTimeout,
            BooleanSupplier recorderStopping) {
        this.runLog = runLog;
        this.registry = registry;
        this.watching = watching;
        this.stopTimeout = stopTimeout;
        this.recorderStopping = recorderStopping;
    }

    @Override
    public void assigned(Set<Integer> partitions, Collection<Checkpoint> activeRuns) {
        registry.forget(runLog.runsOf(partitions));
        log.info("Continuing {} active run(s) of partitions {} from their checkpoints", activeRuns.size(), partitions);
        activeRuns.forEach(registry::restore);
        if (partitions.contains(WATCHING_PARTITION)) {
            log.info("This member owns partition {}: it watches Letta's runs for the fleet", WATCHING_PARTITION);
            watching.start();
        }
    }

    @Override
    public void revoking(Set<Integer> partitions) {
        if (partitions.contains(WATCHING_PARTITION)) {
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
