package dev.lsr.recorder.log;

import dev.lsr.chunklog.TopicConventions;
import dev.lsr.recorder.RecorderSettings;
import dev.lsr.settings.LettaRetention;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The typed configuration of a {@link RunLog}, parsed once. Build with {@link #builder(String)}.
 *
 * @param bootstrapServers   Kafka bootstrap servers
 * @param chunkTopic         the chunk topic; the checkpoint topic is {@link TopicConventions#checkpointTopic}
 * @param partitions         partitions of both topics when the log creates them (existing topics keep theirs)
 * @param replicationFactor  replication factor of created topics, or -1 for the broker's default
 * @param ownedPartitions    chunk-topic partitions this recorder owns; empty means all
 * @param commitWindow       how long a record may wait for its transaction (tens of ms)
 * @param maxBatchRecords    at most this many records per transaction (a full batch commits at once)
 * @param maxBatchBytes      at most about this many bytes per transaction (a full batch commits at once)
 * @param maxPendingBytes    appends block while this many bytes are queued or in flight (backpressure),
 *                           split equally among the owned partitions (at least {@code maxBatchBytes}
 *                           each), so that a partition that cannot commit blocks only its own runs
 * @param compression        the producers' {@code compression.type}: {@code none}, {@code gzip},
 *                           {@code snappy}, {@code lz4} or {@code zstd} (a pass-through
 *                           {@code compression.type} wins)
 * @param kafkaProperties    client properties passed through ({@code --kafka-property}), e.g. security
 *                           settings, to every client that knows the name; prefixed {@code producer.},
 *                           {@code consumer.} or {@code admin.} to that client only. Never logged:
 *                           {@link #toString()} shows their names only
 * @param startTimeout       bound on creating/checking topics, initialising producers and restoring
 * @param closeTimeout       bound on committing what is pending when closing
 * @param retryBackoffInitial first pause before retrying an aborted batch
 * @param retryBackoffMax    longest pause between retries during an outage
 * @param tombstoneAfter     a run that ended longer ago than this loses its checkpoint (a tombstone, written
 *                           at start and, while the log runs, in a round every third of it, at most hourly): the
 *                           catch-up window, past which nothing attaches ended runs again
 * @param rebuildCheckpoints at start, rebuild a lost checkpoint topic from the chunk log instead of refusing
 * @param groupId            the fleet's consumer group: when set, the log owns no partition at start and takes
 *                           the ones Kafka's group protocol assigns it ({@link RunLog#whenOwnershipChanges});
 *                           null: it owns {@code ownedPartitions} (all when empty) for its whole life
 * @param activeRuns         the runs Letta lists as active, asked before each start's or round's tombstones:
 *                           those keep their checkpoints ({@link ActiveRunListing#NONE} when the recorder does
 *                           not watch)
 */
public record RunLogConfig(
        String bootstrapServers,
        String chunkTopic,
        int partitions,
        short replicationFactor,
        Set<Integer> ownedPartitions,
        Duration commitWindow,
        int maxBatchRecords,
        long maxBatchBytes,
        long maxPendingBytes,
        String compression,
        Map<String, String> kafkaProperties,
        Duration startTimeout,
        Duration closeTimeout,
        Duration retryBackoffInitial,
        Duration retryBackoffMax,
        Duration tombstoneAfter,
        boolean rebuildCheckpoints,
        String groupId,
        ActiveRunListing activeRuns) {

    /** Client properties the log sets itself; passing them through would break exactly-once. */
    public static final Set<String> MANAGED_PROPERTIES = Set.of(
            "bootstrap.servers",
            "transactional.id",
            "enable.idempotence",
            "acks",
            "key.serializer",
            "value.serializer",
            "key.deserializer",
            "value.deserializer",
            "isolation.level",
            "enable.auto.commit",
            "auto.offset.reset",
            "group.id");

    public RunLogConfig {
        requireText(bootstrapServers, "bootstrapServers");
        requireText(chunkTopic, "chunkTopic");
        require(partitions > 0, "partitions must be positive: " + partitions);
        require(
                replicationFactor == -1 || replicationFactor > 0,
                "replicationFactor must be positive or -1 (broker default): " + replicationFactor);
        ownedPartitions = Set.copyOf(Objects.requireNonNull(ownedPartitions, "ownedPartitions"));
        ownedPartitions.forEach(p -> require(p >= 0, "owned partition must not be negative: " + p));
        requirePositive(commitWindow, "commitWindow");
        require(maxBatchRecords > 0, "maxBatchRecords must be positive: " + maxBatchRecords);
        require(maxBatchBytes > 0, "maxBatchBytes must be positive: " + maxBatchBytes);
        require(
                maxPendingBytes >= maxBatchBytes,
                "maxPendingBytes (" + maxPendingBytes + ") must be at least maxBatchBytes (" + maxBatchBytes + ")");
        require(
                compression != null && COMPRESSION_TYPES.contains(compression),
                "compression must be one of " + COMPRESSION_TYPES + ": " + compression);
        kafkaProperties = Map.copyOf(Objects.requireNonNull(kafkaProperties, "kafkaProperties"));
        checkPassThrough(kafkaProperties);
        requirePositive(startTimeout, "startTimeout");
        requirePositive(closeTimeout, "closeTimeout");
        requirePositive(retryBackoffInitial, "retryBackoffInitial");
        require(
                retryBackoffMax.compareTo(retryBackoffInitial) >= 0,
                "retryBackoffMax must be at least retryBackoffInitial");
        require(tombstoneAfter != null && !tombstoneAfter.isNegative(), "tombstoneAfter must not be negative");
        require(groupId == null || !groupId.isBlank(), "groupId must not be blank");
        require(groupId == null || ownedPartitions.isEmpty(), "a fleet (groupId) takes the partitions it is assigned");
        Objects.requireNonNull(activeRuns, "activeRuns");
    }

    /** Pass-through producer properties the recorder reads itself, so their values must be integers. */
    private static final List<String> INTEGER_PROPERTIES = List.of("transaction.timeout.ms", "max.request.size");

    /**
     * The rule for Kafka client properties passed through ({@code --kafka-property}, with or without a
     * {@code producer.}/{@code consumer.}/{@code admin.} prefix): none the recorder sets itself ({@link
     * #MANAGED_PROPERTIES}: they carry exactly-once), and an integer where the recorder reads the value. Checked
     * by the configuration too, so that a bad one is refused before anything starts.
     *
     * @throws IllegalArgumentException naming the first property refused (never its value)
     */
    public static void checkPassThrough(Map<String, ?> kafkaProperties) {
        for (Map.Entry<String, ?> property : kafkaProperties.entrySet()) {
            String key = property.getKey();
            String name = key.replaceFirst("^(producer|consumer|admin)\\.", "");
            require(!MANAGED_PROPERTIES.contains(name), "kafka property '" + key + "' is set by the recorder itself");
            if (INTEGER_PROPERTIES.contains(name) && !key.startsWith("consumer.") && !key.startsWith("admin.")) {
                require(isInteger(property.getValue()), "kafka property '" + key + "' must be an integer");
            }
        }
    }

    private static boolean isInteger(Object value) {
        try {
            Integer.parseInt(String.valueOf(value).trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The producer compression types Kafka knows ({@code compression.type}). */
    public static final List<String> COMPRESSION_TYPES = List.of("none", "gzip", "snappy", "lz4", "zstd");

    /**
     * Default compression: lz4. Measured in docs/benchmarks.md (ingest, compression trials) against
     * none and zstd on the recorder's JSON chunks.
     */
    public static final String DEFAULT_COMPRESSION = "lz4";

    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public String checkpointTopic() {
        return TopicConventions.checkpointTopic(chunkTopic);
    }

    /** The fleet's intake topic: run ids keyed by run id, so each member reads those of the partitions it owns. */
    public String intakeTopic() {
        return chunkTopic + ".intake";
    }

    /** True when the partitions come and go with the fleet's group ({@link #groupId} set). */
    public boolean inFleet() {
        return groupId != null;
    }

    /** Shows property names only: their values may be passwords. */
    @Override
    public String toString() {
        return "RunLogConfig[bootstrapServers=" + bootstrapServers + ", chunkTopic=" + chunkTopic
                + ", partitions=" + partitions + ", replicationFactor=" + replicationFactor
                + ", ownedPartitions=" + (ownedPartitions.isEmpty() ? "all" : new TreeSet<>(ownedPartitions))
                + ", commitWindow=" + commitWindow + ", maxBatchRecords=" + maxBatchRecords
                + ", maxBatchBytes=" + maxBatchBytes + ", maxPendingBytes=" + maxPendingBytes
                + ", compression=" + compression
                + ", kafkaProperties=" + new TreeSet<>(kafkaProperties.keySet()) + " (values hidden)"
                + ", startTimeout=" + startTimeout + ", closeTimeout=" + closeTimeout
                + ", retryBackoff=" + retryBackoffInitial + ".." + retryBackoffMax
                + ", tombstoneAfter=" + tombstoneAfter + ", rebuildCheckpoints=" + rebuildCheckpoints
                + ", groupId=" + (groupId == null ? "none" : groupId) + "]";
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private static void requireText(String value, String name) {
        require(value != null && !value.isBlank(), name + " must not be blank");
    }

    private static void requirePositive(Duration value, String name) {
        require(value != null && value.isPositive(), name + " must be positive");
    }

    /** Builds a {@link RunLogConfig}; every setting but the bootstrap servers has a default. */
    public static final class Builder {
        private String bootstrapServers;
        private String chunkTopic = TopicConventions.DEFAULT_CHUNK_TOPIC;
        private int partitions = 6;
        private short replicationFactor = -1;
        private Set<Integer> ownedPartitions = Set.of();
        private Duration commitWindow = RecorderSettings.COMMIT_WINDOW.defaultValue();
        private int maxBatchRecords = 5_000;
        private long maxBatchBytes = 1L << 20;
        private long maxPendingBytes = 32L << 20;
        private String compression = DEFAULT_COMPRESSION;
        private Map<String, String> kafkaProperties = new TreeMap<>();
        private Duration startTimeout = Duration.ofSeconds(60);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private Duration retryBackoffInitial = Duration.ofMillis(100);
        private Duration retryBackoffMax = Duration.ofSeconds(10);
        private Duration tombstoneAfter = LettaRetention.STREAM;
        private boolean rebuildCheckpoints;
        private String groupId;
        private ActiveRunListing activeRuns = ActiveRunListing.NONE;

        private Builder(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        private Builder(RunLogConfig config) {
            bootstrapServers = config.bootstrapServers;
            chunkTopic = config.chunkTopic;
            partitions = config.partitions;
            replicationFactor = config.replicationFactor;
            ownedPartitions = config.ownedPartitions;
            commitWindow = config.commitWindow;
            maxBatchRecords = config.maxBatchRecords;
            maxBatchBytes = config.maxBatchBytes;
            maxPendingBytes = config.maxPendingBytes;
            compression = config.compression;
            kafkaProperties = new TreeMap<>(config.kafkaProperties);
            startTimeout = config.startTimeout;
            closeTimeout = config.closeTimeout;
            retryBackoffInitial = config.retryBackoffInitial;
            retryBackoffMax = config.retryBackoffMax;
            tombstoneAfter = config.tombstoneAfter;
            rebuildCheckpoints = config.rebuildCheckpoints;
            groupId = config.groupId;
            activeRuns = config.activeRuns;
        }

        public Builder bootstrapServers(String value) {
            bootstrapServers = value;
            return this;
        }

        public Builder chunkTopic(String value) {
            chunkTopic = value;
            return this;
        }

        public Builder partitions(int value) {
            partitions = value;
            return this;
        }

        public Builder replicationFactor(short value) {
            replicationFactor = value;
            return this;
        }

        public Builder ownedPartitions(Set<Integer> value) {
            ownedPartitions = value;
            return this;
        }

        public Builder commitWindow(Duration value) {
            commitWindow = value;
            return this;
        }

        public Builder maxBatchRecords(int value) {
            maxBatchRecords = value;
            return this;
        }

        public Builder maxBatchBytes(long value) {
            maxBatchBytes = value;
            return this;
        }

        public Builder maxPendingBytes(long value) {
            maxPendingBytes = value;
            return this;
        }

        public Builder compression(String value) {
            compression = value;
            return this;
        }

        /** Replaces all pass-through client properties. */
        public Builder kafkaProperties(Map<String, String> value) {
            kafkaProperties = new TreeMap<>(value);
            return this;
        }

        public Builder kafkaProperty(String key, String value) {
            kafkaProperties.put(key, value);
            return this;
        }

        public Builder startTimeout(Duration value) {
            startTimeout = value;
            return this;
        }

        public Builder closeTimeout(Duration value) {
            closeTimeout = value;
            return this;
        }

        public Builder retryBackoff(Duration initial, Duration max) {
            retryBackoffInitial = initial;
            retryBackoffMax = max;
            return this;
        }

        public Builder tombstoneAfter(Duration value) {
            tombstoneAfter = value;
            return this;
        }

        public Builder rebuildCheckpoints(boolean value) {
            rebuildCheckpoints = value;
            return this;
        }

        /** Joins the fleet of this consumer group (null: own the configured partitions, as one recorder). */
        public Builder groupId(String value) {
            groupId = value;
            return this;
        }

        /** Where the start-up and the rounds ask which runs Letta lists as active before they write tombstones. */
        public Builder activeRuns(ActiveRunListing value) {
            activeRuns = value;
            return this;
        }

        public RunLogConfig build() {
            return new RunLogConfig(
                    bootstrapServers,
                    chunkTopic,
                    partitions,
                    replicationFactor,
                    ownedPartitions,
                    commitWindow,
                    maxBatchRecords,
                    maxBatchBytes,
                    maxPendingBytes,
                    compression,
                    kafkaProperties,
                    startTimeout,
                    closeTimeout,
                    retryBackoffInitial,
                    retryBackoffMax,
                    tombstoneAfter,
                    rebuildCheckpoints,
                    groupId,
                    activeRuns);
        }
    }
}
