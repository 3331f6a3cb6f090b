package dev.lsr.recorder.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.CheckpointKeys;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.chunklog.UnreadableRecordException;
import dev.lsr.recorder.log.RunLogListener;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the last checkpoint per run from the owned partitions of the compacted checkpoint topic:
 * read_committed, from the beginning up to the end offsets captured when it starts (the last stable
 * offsets, taken after the producers fenced older owners). The work depends on the number of runs in
 * the compacted topic, never on the size of the chunk log. A tombstone removes a run.
 *
 * <p>The last record of a run is the truth, so a run whose last record cannot be read is reported as
 * unreadable (never forgotten: a forgotten run would be recorded again from its start). A checkpoint
 * in a partition its run does not hash to is left over from a partition change and is ignored: the
 * run's own partition holds its real checkpoint. The log's own records ({@link CheckpointKeys}) are no runs.
 */
final class CheckpointRestorer {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointRestorer.class);

    /**
     * What the owned partitions hold.
     *
     * @param checkpoints the last checkpoint of every run whose last record could be read
     * @param unreadable  runs whose last record could not be read, with the reason
     */
    record Restored(Map<String, Checkpoint> checkpoints, Map<String, String> unreadable) {}

    private CheckpointRestorer() {}

    static Restored restore(
            Consumer<byte[], byte[]> consumer,
            String topic,
            int partitionCount,
            Collection<Integer> partitions,
            Deadline deadline,
            RunLogListener listener) {
        List<TopicPartition> assigned =
                partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
        Fold fold = new Fold(partitionCount, listener);
        PartitionReader.read(consumer, assigned, "the checkpoints of " + topic, deadline, record -> {
            fold.apply(record);
            return true;
        });
        Restored restored = fold.finish();
        fold.report(topic);
        LOG.info(
                "restored {} checkpoints from {} partitions of {} ({} records read)",
                restored.checkpoints().size(),
                assigned.size(),
                topic,
                fold.recordsRead());
        return restored;
    }

    /**
     * Last record per run wins; see the class comment for what does not count. Only the last record of a run
     * is decoded, once the fold is over: the topic holds one record per run per transaction until the cleaner
     * compacts it (hundreds of thousands after a busy hour), and decoding each cost the restore seconds.
     */
    static final class Fold {
        private final int partitionCount;
        private final RunLogListener listener;
        /** The last value of each run, null for none (a tombstone). */
        private final Map<String, byte[]> last = new HashMap<>();

        private final Map<String, Checkpoint> checkpoints = new HashMap<>();
        private final Map<String, String> unreadable = new HashMap<>();
        private final Map<Integer, Integer> misplaced = new HashMap<>();
        private long recordsRead;

        Fold(int partitionCount, RunLogListener listener) {
            this.partitionCount = partitionCount;
            this.listener = listener;
        }

        void apply(ConsumerRecord<byte[], byte[]> record) {
            recordsRead++;
            String runId = record.key() == null ? null : new String(record.key(), UTF_8);
            if (runId == null) {
                LOG.warn(
                        "skipping a checkpoint without key at {}-{}@{}",
                        record.topic(),
                        record.partition(),
                        record.offset());
                listener.checkpointSkipped(null, "no key");
                return;
            }
            if (!CheckpointKeys.isRun(runId)) {
                return;
            }
            if (TopicConventions.partitionFor(runId, partitionCount) != record.partition()) {
                misplaced.merge(record.partition(), 1, Integer::sum);
                LOG.debug(
                        "run {}: ignoring a checkpoint in partition {}, its run hashes to another",
                        runId,
                        record.partition());
                return;
            }
            if (record.value() == null) {
                last.remove(runId);
            } else {
                last.put(runId, record.value());
            }
        }

        /** Records read, uncompacted tail included: what the restore's time follows. */
        long recordsRead() {
            return recordsRead;
        }

        /** Decodes each run's last record: the checkpoints, and the runs whose last record is unreadable. */
        Restored finish() {
            last.forEach((runId, value) -> {
                try {
                    Checkpoint checkpoint = Checkpoint.fromJson(value);
                    if (!runId.equals(checkpoint.runId())) {
                        throw new UnreadableRecordException("key does not match run_id " + checkpoint.runId());
                    }
                    checkpoints.put(runId, checkpoint);
                } catch (UnreadableRecordException e) {
                    unreadable.put(runId, e.getMessage());
                }
            });
            last.clear();
            return new Restored(checkpoints, unreadable);
        }

        /** Once per run, after {@link #finish}: an unreadable record followed by a readable one was no loss. */
        void report(String topic) {
            unreadable.forEach((runId, reason) -> {
                LOG.error(
                        "run {}: its checkpoint in {} is unreadable ({}); the run is left alone, never recorded"
                                + " again from its start (was it written by a newer recorder?)",
                        runId,
                        topic,
                        reason);
                listener.checkpointSkipped(runId, reason);
            });
            misplaced.forEach((partition, count) -> LOG.warn(
                    "ignored {} checkpoint(s) in partition {} of {} whose"
                            + " runs hash to another partition (left from a change of the partition count)",
                    count,
                    partition,
                    topic));
        }
    }
}
