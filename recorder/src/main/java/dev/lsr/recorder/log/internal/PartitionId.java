package dev.lsr.recorder.log.internal;

import dev.lsr.chunklog.TopicConventions;

/** One owned partition: the chunk topic partition, its checkpoint partition and its transactional id. */
record PartitionId(String chunkTopic, int partition) {

    String checkpointTopic() {
        return TopicConventions.checkpointTopic(chunkTopic);
    }

    String transactionalId() {
        return TopicConventions.transactionalId(chunkTopic, partition);
    }

    @Override
    public String toString() {
        return "partition " + partition + " of " + chunkTopic;
    }
}
