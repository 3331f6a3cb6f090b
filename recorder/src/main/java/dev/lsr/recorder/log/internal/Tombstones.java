package dev.lsr.recorder.log.internal;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.RunState;
import dev.lsr.chunklog.TopicConventions;
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
            Instant now,
            Deadline deadline) {
        Instant endedBefore = now.minus(after);
        Map<Integer, List<String>> byPartition = new TreeMap<>();
        for (Checkpoint checkpoint : restored) {
            if (checkpoint.state().isTerminal()
                    && !MAY_STILL_BE_ACTIVE.contains(checkpoint.state())
                    && checkpoint.updatedAt() != null
                    && checkpoint.updatedAt().isBefore(endedBefore)) {
                byPartition
                        .computeIfAbsent(
                                TopicConventions.partitionFor(checkpoint.runId(), partitions), p -> new ArrayList<>())
                        .add(checkpoint.runId());
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
