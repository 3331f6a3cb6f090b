package dev.lsr.consumer.analytics.internal;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Uuid;

/**
 * Where a transaction leaves the job's consumption of a chunk partition: the next offset to read, of the chunk topic
 * with id {@code chunkTopicId}. A topic deleted and created again has the same name and another id, and offsets
 * that mean other records. The id is null when not known (records and offsets written before it was kept, an offset
 * an operator reset). The job writes it twice in each transaction: in its summary records' headers
 * ({@link SummaryRecords}) and in the committed offset's metadata ({@link #committable}).
 */
record ConsumedPosition(long nextOffset, Uuid chunkTopicId) {

    /** The prefix of the committed offsets' metadata: the id of the chunk topic the offset is of follows. */
    static final String METADATA_PREFIX = "lsr_consumed_topic_id=";

    /** Whether this position is of the topic with id {@code topicId}; unknown when either id is null. */
    boolean ofAnotherTopicThan(Uuid topicId) {
        return chunkTopicId != null && topicId != null && !chunkTopicId.equals(topicId);
    }

    /** This position as the group commits it, the topic id in the metadata. */
    OffsetAndMetadata committable() {
        return chunkTopicId == null
                ? new OffsetAndMetadata(nextOffset)
                : new OffsetAndMetadata(nextOffset, METADATA_PREFIX + chunkTopicId);
    }

    /** The position a committed offset says; its topic id is null unless the job wrote it ({@link #committable}). */
    static ConsumedPosition committed(OffsetAndMetadata committed) {
        String metadata = committed.metadata();
        Uuid id = null;
        if (metadata != null && metadata.startsWith(METADATA_PREFIX)) {
            try {
                id = Uuid.fromString(metadata.substring(METADATA_PREFIX.length()));
            } catch (IllegalArgumentException e) {
                id = null; // not the job's: trusted as any offset without id
            }
        }
        return new ConsumedPosition(committed.offset(), id);
    }
}
