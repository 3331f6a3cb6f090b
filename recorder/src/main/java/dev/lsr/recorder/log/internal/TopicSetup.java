package dev.lsr.recorder.log.internal;

import dev.lsr.recorder.log.RunLogConfig;
import dev.lsr.recorder.log.RunLogStartException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the chunk and checkpoint topics when missing and checks them when present: same partition
 * count (a run's checkpoint lives in the partition number of its chunks), a compacted checkpoint topic.
 * Reads the chunk topic's {@code max.message.bytes} for the oversize guard.
 *
 * <p>A new chunk topic keeps its records forever ({@code retention.ms=-1}): the log is the durable
 * copy of streams the Letta server forgets after 3 hours. An existing chunk topic with a finite
 * retention is used as it is, with a warning. Replication and {@code min.insync.replicas}: see
 * {@link Durability}.
 */
final class TopicSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    /**
     * The checkpoint topic gets one record per run per transaction. Kafka's defaults (a segment rolls
     * after 7 days or 1 GB, and only rolled segments are cleaned; cleaning starts at 50 % dirty) would
     * let it grow with traffic for days, and the restore reads all of it: roll after an hour or 8 MiB,
     * whichever comes first, and clean at 10 % dirty, so the restore reads the runs' last checkpoints
     * plus at most about one segment per partition of not yet cleaned ones (~100,000 records over 6
     * partitions in docs/benchmarks.md, against 1,000,000 when only the hour rolled it). Tombstones stay
     * a day, so a consumer listing runs from the topic sees them go.
     */
    static final Map<String, String> CHECKPOINT_CONFIGS = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.SEGMENT_MS_CONFIG,
            Long.toString(Duration.ofHours(1).toMillis()),
            TopicConfig.SEGMENT_BYTES_CONFIG,
            Integer.toString(8 * 1024 * 1024),
            TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG,
            "0.1",
            TopicConfig.DELETE_RETENTION_MS_CONFIG,
            Long.toString(Duration.ofDays(1).toMillis()));

    private final Admin admin;
    private final RunLogConfig config;
    private final Deadline deadline;
    /** Replicas per partition of each topic described (the first partition's). */
    private final Map<String, Integer> replicas = new HashMap<>();

    private Durability durability;

    TopicSetup(Admin admin, RunLogConfig config, Deadline deadline) {
        this.admin = admin;
        this.config = config;
        this.deadline = deadline;
    }

    TopicLayout ensure() {
        String chunkTopic = config.chunkTopic();
        String checkpointTopic = config.checkpointTopic();
        durability = Durability.inspect(admin, deadline);
        Map<String, Integer> existing = partitionCounts(List.of(chunkTopic, checkpointTopic));
        Map<String, Integer> existingReplicas = new HashMap<>(replicas);
        Integer chunkPartitions = existing.get(chunkTopic);
        Integer checkpointPartitions = existing.get(checkpointTopic);
        requireSameCount(chunkPartitions, checkpointPartitions);
        int partitions = chunkPartitions != null
                ? chunkPartitions
                : checkpointPartitions != null ? checkpointPartitions : config.partitions();
        if (chunkPartitions == null
                && !createIfAbsent(newTopic(chunkTopic, partitions, Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")))) {
            // created meanwhile (another recorder, or a creation this broker's metadata did not show yet)
            chunkPartitions = awaitPartitionCount(chunkTopic);
            requireSameCount(chunkPartitions, checkpointPartitions);
            partitions = chunkPartitions;
        }
        if (checkpointPartitions == null
                && !createIfAbsent(newTopic(checkpointTopic, partitions, CHECKPOINT_CONFIGS))) {
            requireSameCount(partitions, awaitPartitionCount(checkpointTopic));
        }
        if (partitions != config.partitions()) {
            LOG.info(
                    "topic {} has {} partitions (the configured {} applies only to new topics)",
                    chunkTopic,
                    partitions,
                    config.partitions());
        }
        Map<String, Config> configs = topicConfigs(List.of(chunkTopic, checkpointTopic));
        requireCompactedForGood(checkpointTopic, configs.get(checkpointTopic));
        warnOnFiniteRetention(chunkTopic, configs.get(chunkTopic));
        existingReplicas.forEach(
                (topic, replication) -> durability.warnExisting(topic, replication, configs.get(topic)));
        int maxMessageBytes = Integer.parseInt(configs.get(chunkTopic)
                .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)
                .value());
        return new TopicLayout(partitions, maxMessageBytes);
    }

    /**
     * A fleet's intake topic (run ids offered to the fleet, keyed by run id): created with the chunk topic's
     * partition count, so a run id lands in the partition number its chunks do and is read by their owner. Its
     * records are hints (a run's truth is its checkpoint), kept a day.
     */
    void ensureIntake(int partitions) {
        String intake = config.intakeTopic();
        Integer existing = partitionCounts(List.of(intake)).get(intake);
        if (existing == null
                && !createIfAbsent(newTopic(intake, partitions, Map.of(TopicConfig.RETENTION_MS_CONFIG, "86400000")))) {
            existing = awaitPartitionCount(intake);
        }
        if (existing != null && existing != partitions) {
            throw new RunLogStartException("topic " + intake + " has " + existing + " partitions but "
                    + config.chunkTopic() + " has " + partitions + "; they must match (a run id is read by the owner"
                    + " of its chunks' partition)");
        }
    }

    /**
     * The checkpoint topic must keep every run's last checkpoint: compacted, and never deleted by age or size.
     * With {@code compact,delete} and a finite {@code retention.ms} or {@code retention.bytes}, Kafka deletes
     * whole old segments, compacted or not, and with them the last checkpoint of every run that has not
     * written one since (a run waiting on an approval, a finished run). The restore would not know the run,
     * and the recorder would record it again from its start if Letta still streams it: every chunk twice.
     */
    private static void requireCompactedForGood(String checkpointTopic, Config checkpointConfig) {
        String cleanupPolicy =
                checkpointConfig.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        List<String> policies = List.of(cleanupPolicy.split(","));
        if (!policies.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            throw new RunLogStartException("topic " + checkpointTopic + " has cleanup.policy=" + cleanupPolicy
                    + "; it must be compact (the recorder reads every run's last checkpoint from it)");
        }
        long retentionMs = Long.parseLong(
                checkpointConfig.get(TopicConfig.RETENTION_MS_CONFIG).value());
        long retentionBytes = Long.parseLong(
                checkpointConfig.get(TopicConfig.RETENTION_BYTES_CONFIG).value());
        if (policies.contains(TopicConfig.CLEANUP_POLICY_DELETE) && (retentionMs >= 0 || retentionBytes >= 0)) {
            throw new RunLogStartException("topic " + checkpointTopic + " has cleanup.policy=" + cleanupPolicy
                    + " with retention.ms=" + retentionMs + " and retention.bytes=" + retentionBytes
                    + ": Kafka would delete old checkpoints, and a run whose last checkpoint went would be recorded"
                    + " again from its start; set cleanup.policy=compact (compaction alone keeps the topic small)");
        }
    }

    private static void warnOnFiniteRetention(String chunkTopic, Config chunkConfig) {
        long retentionMs =
                Long.parseLong(chunkConfig.get(TopicConfig.RETENTION_MS_CONFIG).value());
        if (retentionMs >= 0) {
            LOG.warn(
                    "topic {} deletes records after retention.ms={} ({}); recorded runs older than that will be lost",
                    chunkTopic,
                    retentionMs,
                    Duration.ofMillis(retentionMs));
        }
    }

    private NewTopic newTopic(String name, int partitions, Map<String, String> configs) {
        Optional<Short> replication = durability.replicationFor(config.replicationFactor());
        Map<String, String> all = new HashMap<>(configs);
        replication.ifPresent(r -> all.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Durability.minInsyncReplicas(r)));
        return new NewTopic(name, Optional.of(partitions), replication).configs(all);
    }

    private void requireSameCount(Integer chunkPartitions, Integer checkpointPartitions) {
        if (chunkPartitions != null && checkpointPartitions != null && !chunkPartitions.equals(checkpointPartitions)) {
            throw new RunLogStartException("topic " + config.chunkTopic() + " has " + chunkPartitions
                    + " partitions but " + config.checkpointTopic() + " has " + checkpointPartitions + "; they must"
                    + " match (a run's checkpoint lives in the same partition number as its chunks)");
        }
    }

    /** Creates the topic; false when it turns out to exist already. */
    private boolean createIfAbsent(NewTopic topic) {
        try {
            await(admin.createTopics(List.of(topic)).all(), "create topic " + topic.name());
            LOG.info(
                    "created topic {} with {} partitions, replication factor {} and configs {}",
                    topic.name(),
                    topic.numPartitions(),
                    topic.replicationFactor() > 0 ? topic.replicationFactor() : "the broker's",
                    topic.configs());
            durability.warnCreated(
                    topic.name(),
                    topic.replicationFactor() > 0 ? Optional.of(topic.replicationFactor()) : Optional.empty());
            return true;
        } catch (RunLogStartException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
            LOG.info("topic {} exists already (created concurrently); using it as it is", topic.name());
            return false;
        }
    }

    /** The partition count of a topic known to exist, retried while the broker answering does not know it yet. */
    private int awaitPartitionCount(String topic) {
        while (true) {
            Integer count = partitionCounts(List.of(topic)).get(topic);
            if (count != null) {
                return count;
            }
            if (deadline.isOver()) {
                throw new RunLogStartException(
                        "topic " + topic + " exists but its partitions were not visible" + " within the start timeout");
            }
            deadline.sleep(Duration.ofMillis(100));
        }
    }

    private Map<String, Integer> partitionCounts(List<String> topics) {
        Map<String, Integer> counts = new HashMap<>();
        admin.describeTopics(topics).topicNameValues().forEach((name, future) -> {
            try {
                TopicDescription description = await(future, "describe topic " + name);
                counts.put(name, description.partitions().size());
                replicas.put(
                        name, description.partitions().getFirst().replicas().size());
            } catch (RunLogStartException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        });
        return counts;
    }

    /** Retries while a just-created topic is not yet known to the broker answering. */
    private Map<String, Config> topicConfigs(List<String> topics) {
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
                .toList();
        while (true) {
            try {
                Map<ConfigResource, Config> configs =
                        await(admin.describeConfigs(resources).all(), "describe topic configs");
                Map<String, Config> byTopic = new HashMap<>();
                configs.forEach((resource, config) -> byTopic.put(resource.name(), config));
                return byTopic;
            } catch (RunLogStartException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || deadline.isOver()) {
                    throw e;
                }
                deadline.sleep(Duration.ofMillis(100));
            }
        }
    }

    private <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        return AdminCalls.await(future, what, deadline);
    }
}
