package dev.lsr.consumer.analytics.internal;

import org.apache.kafka.common.Uuid;

/**
 * Where a transaction leaves the job's consumption of a chunk partition: the next offset to read, of the chunk topic
 * with id {@code chunkTopicId}. A topic deleted and created again has the same name and another id, and offsets
 * that mean other records. The id is null when not known (records written before it was kept).
 */
record ConsumedPosition(long nextOffset, Uuid chunkTopicId) {

    /** Whether this position is of the topic with id {@code topicId}; unknown when either id is null. */
    boolean ofAnotherTopicThan(Uuid topicId) {
        return chunkTopicId != null && topicId != null && !chunkTopicId.equals(topicId);
    }
}
