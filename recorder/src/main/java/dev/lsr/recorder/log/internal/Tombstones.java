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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the checkpoints of runs that ended longer ago than the catch-up window, at start ({@link #write}) and
 * while the log runs ({@link TombstoneRounds}), by one rule ({@link #select}): nothing attaches such a run again
 * (the watcher's catch-up does not reach back that far), and the chunk log keeps its terminal record. Without this
 * the compacted topic, the restore's time and the store's heap would grow with every run ever recorded. Active runs
 * keep their checkpoints whatever their age.
 *
 * <p>So do runs that may still be listed as active ({@link #MAY_STILL_BE_ACTIVE}): a run abandoned while Letta
 * said it was active (a stuck run, which Letta Cloud lists as running for days), or one whose stream had expired
 * (Letta does not say whether the run had ended). The watcher lists such a run at every round, whatever its age,
 * and only its checkpoint says its log has ended; without it a recorder started later would attach the run again,
 * writing a second {@code run.attached} and a second terminal record after the first. One small record per such
 * run stays in the compacted topic.
 *
 * <p>A run that ended otherwise (finished, refused) while Letta still lists it as active (its status stuck at
 * {@code running}) is exposed to the same second attach. Its state does not say so, so each selection asks Letta
 * ({@link ActiveRunListing}) which of the runs it would tombstone are listed: those keep their checkpoints too. When
 * Letta cannot be asked, no checkpoint is removed this time; the next start or round tries again.
 *
 * <p>While the log runs, a partition's tombstones are written by its committer, in its own transactions, and only
 * for a run whose committed checkpoint is still the one selected ({@link #stillEnded}); the store drops it once that
 * transaction committed.
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
        select(restored, partitions, after, listing, now, "the next start removes them")
                .ifPresent(byPartition -> byPartition.forEach((partition, ended) -> {
                    PartitionId id = new PartitionId(chunkTopic, partition);
                    StartupWrites.commit(
                            producers.get(partition),
                            id,
                            ended.stream()
                                    .map(checkpoint -> CheckpointRecords.tombstone(id, checkpoint.runId()))
                                    .toList(),
                            "tombstones",
                            deadline);
                    ended.forEach(checkpoint -> store.remove(checkpoint.runId()));
                    logRemoved(id, ended.size(), after);
                }));
    }

    /**
     * The rule: the checkpoints among {@code checkpoints} that may go, by partition: terminal, not
     * {@link #MAY_STILL_BE_ACTIVE}, last updated longer than {@code after} before {@code now}, and not of a run
     * {@code listing} returns. Asks the listing only when there is a candidate.
     *
     * @param retry what the WARN line says happens next, when the listing fails
     * @return empty when the listing failed (nothing may go then; logged once at WARN)
     */
    static Optional<Map<Integer, List<Checkpoint>>> select(
            Collection<Checkpoint> checkpoints,
            int partitions,
            Duration after,
            ActiveRunListing listing,
            Instant now,
            String retry) {
        Instant endedBefore = now.minus(after);
        List<Checkpoint> endedLongAgo = checkpoints.stream()
                .filter(checkpoint -> checkpoint.state().isTerminal()
                        && !MAY_STILL_BE_ACTIVE.contains(checkpoint.state())
                        && checkpoint.updatedAt() != null
                        && checkpoint.updatedAt().isBefore(endedBefore))
                .toList();
        if (endedLongAgo.isEmpty()) {
            return Optional.of(Map.of());
        }
        Set<String> listedActive;
        try {
            listedActive = listing.activeRunIds();
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Kept the checkpoints of {} runs that ended more than {} ago: could not list the runs Letta still"
                            + " calls active ({}); {}",
                    endedLongAgo.size(),
                    after,
                    e.getMessage(),
                    retry);
            return Optional.empty();
        }
        Map<Integer, List<Checkpoint>> byPartition = new TreeMap<>();
        int listed = 0;
        for (Checkpoint checkpoint : endedLongAgo) {
            if (listedActive.contains(checkpoint.runId())) {
                listed++;
                LOG.debug(
                        "Run {}: ended, but Letta still lists it as active; its checkpoint is kept",
                        checkpoint.runId());
            } else {
                byPartition
                        .computeIfAbsent(
                                TopicConventions.partitionFor(checkpoint.runId(), partitions), p -> new ArrayList<>())
                        .add(checkpoint);
            }
        }
        if (listed > 0) {
            LOG.info(
                    "Kept the checkpoints of {} runs that ended more than {} ago: Letta still lists them as active",
                    listed,
                    after);
        }
        return Optional.of(byPartition);
    }

    /**
     * Of the tombstones requested for a partition, those its committer may write now: the run's committed checkpoint
     * is still the one selected (a run attached again since has a newer one), and the batch does not touch the run.
     */
    static List<Checkpoint> stillEnded(
            Collection<Checkpoint> requested, Function<String, Checkpoint> committed, Set<String> touchedRuns) {
        return requested.stream()
                .filter(checkpoint -> !touchedRuns.contains(checkpoint.runId())
                        && checkpoint.equals(committed.apply(checkpoint.runId())))
                .toList();
    }

    static void logRemoved(PartitionId id, int runs, Duration after) {
        LOG.info(
                "{}: removed the checkpoints of {} runs that ended more than {} ago (their terminal records"
                        + " stay in the chunk log)",
                id,
                runs,
                after);
    }
}
