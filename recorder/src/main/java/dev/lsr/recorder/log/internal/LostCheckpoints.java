package dev.lsr.recorder.log.internal;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.CheckpointRebuild;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.RunState;
import dev.lsr.chunklog.UnreadableRecordException;
import dev.lsr.recorder.log.RunLogConfig;
import dev.lsr.recorder.log.RunLogStartException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A checkpoint partition has lost its checkpoints when it was never written (end offset 0: deleted
 * and recreated, or created empty) next to a chunk partition holding committed records, or when it
 * no longer starts at offset 0 and no rebuild since covers that: its first records were deleted
 * ({@code deleteRecords}, or a retention that was later switched off), and a run whose last
 * checkpoint was among them would look new. Kafka's cleaner never moves a partition's first offset
 * (a cleaned segment keeps its base offset), and compaction never lowers an end offset, so neither a
 * compacted partition nor one emptied by tombstones is mistaken for a lost one. Restoring a lost
 * partition would make the recorder record its runs again from their start: without {@code
 * rebuildCheckpoints} the start is refused; with it, the checkpoints are rebuilt from the chunk
 * partition (each run's last position, state from its terminal record) and committed before the
 * restore, with a {@link CheckpointRebuild} record that covers the partition's first offset.
 */
final class LostCheckpoints {

    private static final Logger LOG = LoggerFactory.getLogger(LostCheckpoints.class);
    /** Rebuilding reads whole chunk partitions: an explicit operator action, bounded generously. */
    private static final Duration REBUILD_TIMEOUT = Duration.ofDays(1);

    private LostCheckpoints() {}

    /** The owned partitions of both topics, for {@link #check}'s {@code ends}. */
    static List<TopicPartition> ownedPartitions(RunLogConfig config, Collection<Integer> partitions) {
        List<TopicPartition> both = new ArrayList<>();
        partitions.forEach(partition -> both.add(new TopicPartition(config.checkpointTopic(), partition)));
        partitions.forEach(partition -> both.add(new TopicPartition(config.chunkTopic(), partition)));
        return both;
    }

    /**
     * Checks the owned partitions (after the fencing, so no open transaction hides a record).
     *
     * @param ends the end offsets of {@link #ownedPartitions}, taken after the fencing
     * @return whether checkpoints were rebuilt (which takes as long as reading those chunk partitions in full)
     */
    static boolean check(
            Consumer<byte[], byte[]> consumer,
            RunLogConfig config,
            Map<Integer, Producer<byte[], byte[]>> producers,
            Map<TopicPartition, Long> ends,
            Clock clock,
            Deadline deadline) {
        List<TopicPartition> checkpointPartitions = producers.keySet().stream()
                .map(partition -> new TopicPartition(config.checkpointTopic(), partition))
                .toList();
        Map<TopicPartition, Long> starts =
                PartitionReader.beginningOffsets(consumer, checkpointPartitions, "the checkpoint partitions", deadline);
        SortedSet<Integer> neverWritten = new TreeSet<>();
        SortedMap<Integer, Long> deletedBefore = new TreeMap<>();
        for (int partition : producers.keySet()) {
            TopicPartition checkpoints = new TopicPartition(config.checkpointTopic(), partition);
            TopicPartition chunks = new TopicPartition(config.chunkTopic(), partition);
            long start = starts.get(checkpoints);
            if (ends.get(checkpoints) == 0
                    && ends.get(chunks) > 0
                    && PartitionReader.holdsRecords(consumer, chunks, deadline)) {
                neverWritten.add(partition);
            } else if (start > 0 && !rebuiltSince(consumer, checkpoints, start, deadline)) {
                deletedBefore.put(partition, start);
            }
        }
        if (neverWritten.isEmpty() && deletedBefore.isEmpty()) {
            if (config.rebuildCheckpoints()) {
                LOG.info(
                        "no checkpoint partition to rebuild: every owned partition of {} has its checkpoints",
                        config.checkpointTopic());
            }
            return false;
        }
        if (!config.rebuildCheckpoints()) {
            throw new RunLogStartException(lostCheckpoints(config, neverWritten, deletedBefore)
                    + ": starting would record their runs again from the start. Start once with --rebuild-checkpoints"
                    + " to rebuild the checkpoints from the chunk log (reads those partitions in full)");
        }
        Deadline rebuildDeadline = Deadline.after(REBUILD_TIMEOUT);
        SortedMap<Integer, Long> lost = new TreeMap<>(deletedBefore);
        neverWritten.forEach(partition -> lost.put(partition, 0L));
        lost.forEach((partition, start) -> rebuild(
                consumer,
                config,
                partition,
                producers.get(partition),
                CheckpointRebuild.of(start, clock.instant()),
                rebuildDeadline));
        return true;
    }

    private static String lostCheckpoints(
            RunLogConfig config, SortedSet<Integer> neverWritten, SortedMap<Integer, Long> deletedBefore) {
        List<String> reasons = new ArrayList<>();
        if (!neverWritten.isEmpty()) {
            reasons.add("topic " + config.chunkTopic() + " holds records in partitions " + neverWritten + " but "
                    + config.checkpointTopic() + " has no checkpoint there (deleted, or recreated empty)");
        }
        if (!deletedBefore.isEmpty()) {
            reasons.add("partitions " + deletedBefore.keySet() + " of " + config.checkpointTopic()
                    + " lost their first records (deleteRecords, or a retention): they start at offsets "
                    + deletedBefore.values() + " instead of 0, and no rebuild since covers that, so runs whose last"
                    + " checkpoint was deleted would look new");
        }
        return String.join("; ", reasons);
    }

    /** True when a {@link CheckpointRebuild} record of the partition covers its first offset {@code start}. */
    private static boolean rebuiltSince(
            Consumer<byte[], byte[]> consumer, TopicPartition checkpoints, long start, Deadline deadline) {
        boolean[] covered = {false};
        PartitionReader.read(consumer, checkpoints, deadline, record -> {
            if (record.key() != null
                    && Arrays.equals(CheckpointRecords.REBUILD_KEY, record.key())
                    && record.value() != null) {
                try {
                    covered[0] = CheckpointRebuild.fromJson(record.value()).covers(start);
                } catch (UnreadableRecordException e) {
                    LOG.warn(
                            "{}: the checkpoint rebuild record at offset {} is unreadable ({}); it covers nothing",
                            checkpoints,
                            record.offset(),
                            e.getMessage());
                }
            }
            return !covered[0];
        });
        return covered[0];
    }

    private static void rebuild(
            Consumer<byte[], byte[]> consumer,
            RunLogConfig config,
            int partition,
            Producer<byte[], byte[]> producer,
            CheckpointRebuild covering,
            Deadline deadline) {
        PartitionId id = new PartitionId(config.chunkTopic(), partition);
        LOG.info("{}: rebuilding the checkpoints of {} from the chunk log", id, config.checkpointTopic());
        Map<String, Checkpoint> runs = new HashMap<>();
        long[] unreadable = {0};
        PartitionReader.read(consumer, new TopicPartition(config.chunkTopic(), partition), deadline, record -> {
            try {
                ChunkLogRecord chunk = ChunkLogRecord.fromConsumerRecord(record);
                runs.put(
                        chunk.runId(),
                        CheckpointFold.next(
                                runs.get(chunk.runId()),
                                chunk,
                                stateAfter(chunk.type()),
                                Instant.ofEpochMilli(record.timestamp())));
            } catch (UnreadableRecordException e) {
                unreadable[0]++;
                LOG.warn(
                        "{}: skipping an unreadable record at offset {} while rebuilding: {}",
                        id,
                        record.offset(),
                        e.getMessage());
            }
            return true;
        });
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        runs.values().forEach(c -> records.add(CheckpointRecords.of(id, c)));
        records.add(CheckpointRecords.rebuild(id, covering));
        StartupWrites.commit(producer, id, records, "the rebuilt checkpoints", deadline);
        LOG.info(
                "{}: rebuilt {} checkpoints ({} active){}",
                id,
                runs.size(),
                runs.values().stream().filter(c -> c.state() == RunState.ACTIVE).count(),
                unreadable[0] == 0 ? "" : "; " + unreadable[0] + " unreadable records skipped");
    }

    /** The state a record leaves its run in: its terminal type, else active. */
    static RunState stateAfter(RecordType type) {
        return switch (type) {
            case RUN_FINISHED -> RunState.FINISHED;
            case RUN_EXPIRED -> RunState.EXPIRED;
            case RUN_GONE -> RunState.GONE;
            case RUN_NOT_RESUMABLE -> RunState.NOT_RESUMABLE;
            case RUN_ABANDONED -> RunState.ABANDONED;
            default -> RunState.ACTIVE;
        };
    }
}
