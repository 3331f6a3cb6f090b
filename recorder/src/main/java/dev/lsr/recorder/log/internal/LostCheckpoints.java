package dev.lsr.recorder.log.internal;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.RunState;
import dev.lsr.chunklog.UnreadableRecordException;
import dev.lsr.recorder.log.RunLogConfig;
import dev.lsr.recorder.log.RunLogStartException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A checkpoint partition that was never written (end offset 0: deleted and recreated, or created
 * empty) next to a chunk partition holding committed records has lost its checkpoints: restoring from
 * it would make every run of the partition look new, and the recorder would record them again from
 * their start. Without {@code rebuildCheckpoints} the start is refused; with it, the checkpoints are
 * rebuilt from the chunk partition (each run's last position, state from its terminal record) and
 * committed before the restore. Compaction never lowers an end offset, so a partition emptied by
 * tombstones is not mistaken for a lost one.
 */
final class LostCheckpoints {

    private static final Logger LOG = LoggerFactory.getLogger(LostCheckpoints.class);
    /** Rebuilding reads whole chunk partitions: an explicit operator action, bounded generously. */
    private static final Duration REBUILD_TIMEOUT = Duration.ofDays(1);

    private LostCheckpoints() {}

    /** Checks the owned partitions (after the fencing, so no open transaction hides a record). */
    static void check(
            Consumer<byte[], byte[]> consumer,
            RunLogConfig config,
            Map<Integer, Producer<byte[], byte[]>> producers,
            Deadline deadline) {
        List<TopicPartition> both = new ArrayList<>();
        for (int partition : producers.keySet()) {
            both.add(new TopicPartition(config.checkpointTopic(), partition));
            both.add(new TopicPartition(config.chunkTopic(), partition));
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(both, deadline.remaining());
        SortedSet<Integer> lost = new TreeSet<>();
        for (int partition : producers.keySet()) {
            TopicPartition chunks = new TopicPartition(config.chunkTopic(), partition);
            if (ends.get(new TopicPartition(config.checkpointTopic(), partition)) == 0
                    && ends.get(chunks) > 0
                    && PartitionReader.holdsRecords(consumer, chunks, deadline)) {
                lost.add(partition);
            }
        }
        if (lost.isEmpty()) {
            if (config.rebuildCheckpoints()) {
                LOG.info(
                        "no checkpoint partition to rebuild: every owned partition of {} has its checkpoints",
                        config.checkpointTopic());
            }
            return;
        }
        if (!config.rebuildCheckpoints()) {
            throw new RunLogStartException("topic " + config.chunkTopic() + " holds records in partitions " + lost
                    + " but " + config.checkpointTopic() + " has no checkpoint there (deleted, or recreated empty):"
                    + " starting would record their runs again from the start. Start once with --rebuild-checkpoints"
                    + " to rebuild the checkpoints from the chunk log (reads those partitions in full)");
        }
        Deadline rebuildDeadline = Deadline.after(REBUILD_TIMEOUT);
        for (int partition : lost) {
            rebuild(consumer, config, partition, producers.get(partition), rebuildDeadline);
        }
    }

    private static void rebuild(
            Consumer<byte[], byte[]> consumer,
            RunLogConfig config,
            int partition,
            Producer<byte[], byte[]> producer,
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
