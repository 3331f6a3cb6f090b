package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.apache.kafka.common.utils.Utils;

/**
 * Topic names, partitioning and transactional ids. Runs are owned per partition of the chunk topic;
 * the checkpoint topic has the same partition count and a run's checkpoint lives in the same
 * partition number as its chunks, so an owner of partition {@code p} restores only checkpoint
 * partition {@code p}. The partition count the log was created with is recorded in the checkpoint
 * topic ({@link LogLayout}): it must never change.
 */
public final class TopicConventions {

    public static final String DEFAULT_CHUNK_TOPIC = "letta.chunks";
    public static final String CHECKPOINT_SUFFIX = ".checkpoints";
    public static final String SUMMARY_SUFFIX = ".summaries";

    private TopicConventions() {}

    public static String checkpointTopic(String chunkTopic) {
        return chunkTopic + CHECKPOINT_SUFFIX;
    }

    public static String summaryTopic(String chunkTopic) {
        return chunkTopic + SUMMARY_SUFFIX;
    }

    /** The partition of a run: Kafka's default partitioner over the key, so both agree. */
    public static int partitionFor(String runId, int partitions) {
        return Utils.toPositive(Utils.murmur2(runId.getBytes(UTF_8))) % partitions;
    }

    /**
     * The stable transactional id of the owner of one partition: a restarted or competing owner of the
     * same partition uses the same id, so the broker fences the old one and aborts its open transaction.
     */
    public static String transactionalId(String chunkTopic, int partition) {
        return "lsr-recorder-" + chunkTopic + "-" + partition;
    }
}
