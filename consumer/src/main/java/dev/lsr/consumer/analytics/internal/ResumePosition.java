package dev.lsr.consumer.analytics.internal;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a chunk partition's reading goes on after its state was restored. The group's committed offset, as always,
 * unless it is of another topic of this name ({@link ConsumedPosition}) and past the partition's end; within it, one of
 * another topic is followed with a WARN and a problem ({@link #ofAnotherTopic}). When the group has no
 * committed offset (its offsets expired while the job was stopped longer than {@code offsets.retention.minutes}, the
 * group was deleted or renamed, or the chunk topic was deleted, which takes them along): where the summary topic says
 * the restored state stands, if that is a position of this very topic; else the log's start. Going on from the start
 * with a restored state folded every record a second time onto it; going on from an offset of a topic since deleted
 * and created again skipped the new topic's records up to there. A position of another topic is logged at WARN and
 * counted as a problem, once per partition and old topic, and the partition is read from its start.
 */
final class ResumePosition {

    private static final Logger log = LoggerFactory.getLogger(ResumePosition.class);

    private final Consumer<byte[], byte[]> consumer;
    private final Admin admin;
    private final String summaryTopic;
    private final AtomicLong problems;
    private final Duration timeout;
    private final BooleanSupplier running;
    /** The partitions and old topic ids reported already, as {@code partition/id}. */
    private final Set<String> reported = new HashSet<>();

    ResumePosition(
            Consumer<byte[], byte[]> consumer,
            Admin admin,
            String summaryTopic,
            AtomicLong problems,
            Duration timeout,
            BooleanSupplier running) {
        this.consumer = consumer;
        this.admin = admin;
        this.summaryTopic = summaryTopic;
        this.problems = problems;
        this.timeout = timeout;
        this.running = running;
    }

    /** The topic id of the chunk topic now, or null when Kafka does not say. */
    Uuid topicId(String chunkTopic) {
        return Retry.untilDone("topic id of " + chunkTopic, running, () -> describeTopicId(chunkTopic));
    }

    /**
     * Seeks {@code tp} (of the topic with id {@code topicId}) to the group's {@code committed} position, or when there
     * is none to where the {@code restored} state stands, or to the log's start. A position without topic id (written
     * before it was kept, an operator's reset) is trusted; a restored one unless it lies past the partition's end,
     * the only sign of a recreated topic it had.
     */
    void seek(TopicPartition tp, ConsumedPosition committed, ConsumedPosition restored, Uuid topicId) {
        if (committed != null) {
            if (committed.ofAnotherTopicThan(topicId)) {
                ofAnotherTopic(tp, committed, topicId);
            } else {
                consumer.seek(tp, committed.nextOffset());
            }
            return;
        }
        if (restored == null) {
            consumer.seekToBeginning(List.of(tp));
            return;
        }
        if (restored.ofAnotherTopicThan(topicId)) {
            fromStartOfRecreated(tp, restored, "the state restored from " + summaryTopic, topicId);
            return;
        }
        long end = endOffset(tp);
        if (restored.nextOffset() > end) {
            consumer.seekToBeginning(List.of(tp));
            return;
        }
        log.warn(
                "{}: the group has no committed offset; going on from offset {}, where the state restored from {}"
                        + " stands",
                tp,
                restored.nextOffset(),
                summaryTopic);
        consumer.seek(tp, restored.nextOffset());
    }

    /**
     * A committed offset of another topic id: the chunk topic was deleted and created again while the group kept its
     * offsets, or the offsets were copied with their metadata from another cluster (MirrorMaker 2's offset sync, after
     * a fail-over), where they are this topic's positions translated and the summary topic holds the states they go
     * with. Reading from the start would fold every record a second time onto those states, so only an offset past
     * the partition's end (no position of this topic) is read from the start; any other is followed, logged at WARN
     * with what to do if the topic was created again, and counted as a problem, once per partition and old topic.
     */
    private void ofAnotherTopic(TopicPartition tp, ConsumedPosition committed, Uuid topicId) {
        long end = endOffset(tp);
        if (committed.nextOffset() > end) {
            fromStartOfRecreated(tp, committed, "the group's committed offset", topicId);
            return;
        }
        if (reported.add(tp.partition() + "/" + committed.chunkTopicId())) {
            problems.incrementAndGet();
            log.warn(
                    "{}: the group's committed offset {} is of another topic of this name (id {}, this one is {}):"
                            + " offsets copied from another cluster, or the chunk topic deleted and created again;"
                            + " going on from it. If the topic was created again, its records below that offset are"
                            + " not summarised: stop the job and reset the group's offsets to the earliest",
                    tp,
                    committed.nextOffset(),
                    committed.chunkTopicId(),
                    topicId);
        }
        consumer.seek(tp, committed.nextOffset());
    }

    private long endOffset(TopicPartition tp) {
        return Retry.untilDone(
                "end offset of " + tp,
                running,
                () -> consumer.endOffsets(List.of(tp), timeout).get(tp));
    }

    private void fromStartOfRecreated(TopicPartition tp, ConsumedPosition old, String whose, Uuid topicId) {
        if (reported.add(tp.partition() + "/" + old.chunkTopicId())) {
            problems.incrementAndGet();
            log.warn(
                    "{}: {} stands at offset {} of another topic of this name (id {}, this one is {}): the chunk"
                            + " topic was deleted and created again; reading it from its start",
                    tp,
                    whose,
                    old.nextOffset(),
                    old.chunkTopicId(),
                    topicId);
        }
        consumer.seekToBeginning(List.of(tp));
    }

    private Uuid describeTopicId(String topic) {
        try {
            Uuid id = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic)
                    .topicId();
            return Uuid.ZERO_UUID.equals(id) ? null : id;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RetriableException retriable) {
                throw retriable;
            }
            throw new KafkaException("cannot describe " + topic, e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("no description of " + topic + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }
}
