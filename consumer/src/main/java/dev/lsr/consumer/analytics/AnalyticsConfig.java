package dev.lsr.consumer.analytics;

import dev.lsr.chunklog.TopicConventions;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of one analytics job, parsed once.
 *
 * @param chunkTopic      the chunk topic to consume
 * @param summaryTopic    the compacted topic of the per-run summaries (created when missing, with
 *                        the chunk topic's partition count: a run's summary lives in its chunk
 *                        partition's number)
 * @param groupId         the consumer group; jobs of one group share the chunk partitions
 * @param transactionalId the producer's transactional id: stable per instance, so that a restarted
 *                        instance fences its crashed predecessor and aborts its open transaction
 * @param maxPollRecords  records per poll, which is also records per transaction at most
 * @param pollTimeout     how long one poll waits for records
 */
public record AnalyticsConfig(
        String chunkTopic,
        String summaryTopic,
        String groupId,
        String transactionalId,
        int maxPollRecords,
        Duration pollTimeout) {

    public static final String DEFAULT_GROUP = "lsr-analytics";

    public AnalyticsConfig {
        Objects.requireNonNull(chunkTopic, "chunkTopic");
        Objects.requireNonNull(summaryTopic, "summaryTopic");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(transactionalId, "transactionalId");
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("maxPollRecords must be positive");
        }
        Objects.requireNonNull(pollTimeout, "pollTimeout");
    }

    /** The defaults for a chunk topic: its summary topic, group {@value #DEFAULT_GROUP}, 1000 records per poll. */
    public static AnalyticsConfig defaults(String chunkTopic) {
        return new AnalyticsConfig(
                chunkTopic,
                TopicConventions.summaryTopic(chunkTopic),
                DEFAULT_GROUP,
                defaultTransactionalId(chunkTopic, DEFAULT_GROUP, "0"),
                1000,
                Duration.ofMillis(500));
    }

    /** {@code lsr-analytics-<topic>-<group>-<instance>}. */
    public static String defaultTransactionalId(String chunkTopic, String groupId, String instance) {
        return "lsr-analytics-" + chunkTopic + "-" + groupId + "-" + instance;
    }

    public AnalyticsConfig withGroup(String group, String instance) {
        return new AnalyticsConfig(
                chunkTopic,
                summaryTopic,
                group,
                defaultTransactionalId(chunkTopic, group, instance),
                maxPollRecords,
                pollTimeout);
    }

    public AnalyticsConfig withSummaryTopic(String topic) {
        return new AnalyticsConfig(chunkTopic, topic, groupId, transactionalId, maxPollRecords, pollTimeout);
    }

    public AnalyticsConfig withMaxPollRecords(int records) {
        return new AnalyticsConfig(chunkTopic, summaryTopic, groupId, transactionalId, records, pollTimeout);
    }
}
