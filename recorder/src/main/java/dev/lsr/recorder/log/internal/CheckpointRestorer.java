package dev.lsr.recorder.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.UnreadableRecordException;
import dev.lsr.recorder.log.RunLogListener;
import dev.lsr.recorder.log.RunLogStartException;
import java.time.Duration;
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
 */
final class CheckpointRestorer {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointRestorer.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private CheckpointRestorer() {
    }

    static Map<String, Checkpoint> restore(Consumer<byte[], byte[]> consumer, String topic,
                                           Collection<Integer> partitions, Deadline deadline,
                                           RunLogListener listener) {
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        Map<TopicPartition, Long> endOffsets = new HashMap<>(consumer.endOffsets(assigned, deadline.remaining()));
        Map<String, Checkpoint> checkpoints = new HashMap<>();
        endOffsets.entrySet().removeIf(end -> consumer.position(end.getKey(), deadline.remaining()) >= end.getValue());
        while (!endOffsets.isEmpty()) {
            if (deadline.isOver()) {
                throw new RunLogStartException("could not read the checkpoints of " + topic + " within the start timeout");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                Long end = endOffsets.get(new TopicPartition(record.topic(), record.partition()));
                if (end != null && record.offset() < end) {
                    apply(record, checkpoints, listener);
                }
            }
            endOffsets.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
        }
        LOG.info("restored {} checkpoints from {} partitions of {}", checkpoints.size(), assigned.size(), topic);
        return checkpoints;
    }

    private static void apply(ConsumerRecord<byte[], byte[]> record, Map<String, Checkpoint> checkpoints,
                              RunLogListener listener) {
        String runId = record.key() == null ? null : new String(record.key(), UTF_8);
        if (runId == null) {
            LOG.warn("skipping a checkpoint without key at {}-{}@{}", record.topic(), record.partition(), record.offset());
            listener.checkpointSkipped(null, "no key");
            return;
        }
        if (record.value() == null) {
            checkpoints.remove(runId);
            return;
        }
        try {
            Checkpoint checkpoint = Checkpoint.fromJson(record.value());
            if (!runId.equals(checkpoint.runId())) {
                throw new UnreadableRecordException("key does not match run_id " + checkpoint.runId());
            }
            checkpoints.put(runId, checkpoint);
        } catch (UnreadableRecordException e) {
            LOG.warn("run {}: skipping unreadable checkpoint at {}-{}@{}: {}", runId, record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            listener.checkpointSkipped(runId, e.getMessage());
        }
    }
}
