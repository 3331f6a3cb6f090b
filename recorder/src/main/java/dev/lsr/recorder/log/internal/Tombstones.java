package dev.lsr.recorder.log.internal;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.RunState;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.recorder.log.ActiveRunListing;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes, at start, the checkpoints of runs that ended longer ago than the catch-up window: nothing
 * attaches such a run again (the watcher's catch-up does not reach back that far), and the chunk log
 * keeps its terminal record. Without this the compacted topic, the restore's time and the store's
 * heap would grow with every run ever recorded. Active runs keep their checkpoints whatever their age.
 *
 * <p>So do runs that may still be listed as active ({@link #MAY_STILL_BE_ACTIVE}): a run abandoned while Letta
 * said it was active (a stuck run, which Letta Cloud lists as running for days), or one whose stream had expired
 * (Letta does not say whether the run had ended). The watcher lists such a run at every round, whatever its age,
 * and only its checkpoint says its log has ended; without it a recorder started later would attach the run again,
 * writing a second {@code run.attached} and a second terminal record after the first. One small record per such
 * run stays in the compacted topic.
 *
 * <p>A run that ended otherwise (finished, refused) while Letta still lists it as active (its status stuck at
 * {@code running}) is exposed to the same second attach. Its state does not say so, so the start-up asks Letta
 * ({@link ActiveRunListing}) which of the runs it would tombstone are listed: those keep their checkpoints too. When
 * Letta cannot be asked, no checkpoint is removed at this start; the next start tries again.
 */
final class Tombstones {

    private static final Logger LOG = LoggerFactory.getLogger(Tombstones.class);

    /** Terminal states whose runs Letta may still list as active: their checkpoints are kept whatever their age. */
    static final Set<RunState> MAY_STILL_BE_ACTIVE = EnumSet.of(RunState.ABANDONED, RunState.EXPIRED);

    private Tombstones() {}

    /** Commits, per owned partition, the tombstones of its ended old runs and drops those runs from {@code store}. */
    static void write(
            Map<Integer, Producer<byte[], byte[]>> producers,
            String chunkTopic,
            int partitions,
            Collection<Checkpoint> restored,
            CheckpointStore store,
            Duration after,
            ActiveRunListing listing,
            Instant now,
            Deadline deadline) {
        Instant endedBefore = now.minus(after);
        List<String> endedLongAgo = restored.stream()
                .filter(checkpoint -> checkpoint.state().isTerminal()
                        && !MAY_STILL_BE_ACTIVE.contains(checkpoint.state())
                        && checkpoint.updatedAt() != null
                        && checkpoint.updatedAt().isBefore(endedBefore))
                .map(Checkpoint::runId)
                .toList();
        if (endedLongAgo.isEmpty()) {
            return;
        }
        Set<String> listedActive;
        try {
            listedActive = listing.activeRunIds();
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Kept the checkpoints of {} runs that ended more than {} ago: could not list the runs Letta still"
                            + " calls active ({}); the next start removes them",
                    endedLongAgo.size(),
                    after,
                    e.getMessage());
            return;
        }
        Map<Integer, List<String>> byPartition = new TreeMap<>();
        for (String runId : endedLongAgo) {
            if (listedActive.contains(runId)) {
                LOG.info("Run {}: ended, but Letta still lists it as active; its checkpoint is kept", runId);
            } else {
                byPartition
                        .computeIfAbsent(TopicConventions.partitionFor(runId, partitions), p -> new ArrayList<>())
                        .add(runId);
            }
        }
        byPartition.forEach((partition, runs) -> {
            PartitionId id = new PartitionId(chunkTopic, partition);
            StartupWrites.commit(
                    producers.get(partition),
                    id,
                    runs.stream()
                            .map(run -> CheckpointRecords.tombstone(id, run))
                            .toList(),
                    "tombstones",
                    deadline);
            runs.forEach(store::remove);
            LOG.info(
                    "{}: removed the checkpoints of {} runs that ended more than {} ago (their terminal records"
                            + " stay in the chunk log)",
                    id,
                    runs.size(),
                    after);
        });
    }
}
