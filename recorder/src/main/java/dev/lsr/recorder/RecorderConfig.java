package dev.lsr.recorder;

import dev.lsr.recorder.internal.letta.LettaUrls;
import dev.lsr.recorder.log.RunLogConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The recorder's whole configuration, parsed once (from flags, environment and a properties file by
 * the CLI, or built in code with {@link #builder(String)}). Nothing reads raw settings later.
 * {@link #toString()} never shows the API key or Kafka property values.
 *
 * @param lettaBaseUrl     the Letta server, e.g. {@code http://localhost:8283}
 * @param apiKey           the Letta API key, or null for a server without auth
 * @param requestTimeout   whole-call timeout of Letta's non-streaming calls
 * @param bootstrapServers Kafka bootstrap servers, or null: the recorder CLI then starts an embedded broker
 *                         (the library starts none; see {@code RecorderDaemon.Builder#kafka})
 * @param dataDir          the embedded broker's data directory
 * @param embeddedPort     the embedded broker's port (0: ephemeral)
 * @param topic            the chunk topic (the checkpoint topic is its name + {@code .checkpoints})
 * @param partitions       partitions of the topics when the recorder creates them
 * @param commitWindow     how long a record may wait for its transaction
 * @param compression      the producers' compression type ({@code none}, {@code gzip}, {@code snappy},
 *                         {@code lz4}, {@code zstd}; see {@code RunLogConfig#compression})
 * @param kafkaProperties  Kafka client properties passed through (values may be secrets)
 * @param watch            whether to watch {@code GET /v1/runs/} for active runs
 * @param pollInterval     how often to watch
 * @param catchUp          when watching starts, also record background runs that ended at most this
 *                         long ago and are not in the log (zero: only active runs)
 * @param agentIds         watch only these agents' runs (empty: all)
 * @param conversationIds  watch only these conversations' runs (empty: all)
 * @param attachRunIds     runs to attach to at start
 * @param send             a message to send and record at start, or null
 * @param stopWhenIdle     stop once no run is left to record (the CLI's {@code --no-watch}); otherwise the
 *                         daemon runs until closed, taking {@link RunIntake} calls
 * @param pingInterval     the server's keepalive interval; a connection quiet for 3x this is stalled
 * @param stopReasonGrace  how long a stream may stay open without a frame after its stop_reason
 * @param abandonAfter     give a run up after this long without progress while the server says it is active
 * @param backoffInitial   first reconnect delay
 * @param backoffMax       longest reconnect delay
 * @param maxFrameBytes    the largest SSE payload recorded as a chunk (larger ones are rejected)
 * @param shutdownTimeout  bound on stopping: runs stop, the log commits and closes within it
 * @param metricsInterval  how often the CLI logs the metrics (zero: never); the daemon itself records
 *                         metrics only into a registry given to its builder
 * @param lettaHeaders     extra headers on every Letta request ({@code X-Project-Id}, {@code user_id});
 *                         values of secret-looking names are never shown ({@link LettaHeaders})
 * @param replicationFactor replication factor of the topics the recorder creates; -1: the broker's default
 * @param rebuildCheckpoints rebuild lost checkpoint partitions from the chunk log at start instead of refusing
 * @param httpPort         the port the CLI serves metrics and health on (0: none); the daemon itself serves nothing
 * @param fleet            join the fleet of {@link #fleetGroupId()} (only while watching; a {@code groupId} joins it
 *                         too): its members share the partitions; false: the recorder owns every partition, alone
 * @param groupId          the fleet's consumer group, or null for the default {@code lsr-recorder.<topic>}
 */
public record RecorderConfig(
        String lettaBaseUrl,
        Secret apiKey,
        Duration requestTimeout,
        String bootstrapServers,
        Path dataDir,
        int embeddedPort,
        String topic,
        int partitions,
        Duration commitWindow,
        String compression,
        Map<String, String> kafkaProperties,
        boolean watch,
        Duration pollInterval,
        Duration catchUp,
        List<String> agentIds,
        List<String> conversationIds,
        List<String> attachRunIds,
        SendMessage send,
        boolean stopWhenIdle,
        Duration pingInterval,
        Duration stopReasonGrace,
        Duration abandonAfter,
        Duration backoffInitial,
        Duration backoffMax,
        int maxFrameBytes,
        Duration shutdownTimeout,
        Duration metricsInterval,
        Map<String, String> lettaHeaders,
        short replicationFactor,
        boolean rebuildCheckpoints,
        int httpPort,
        boolean fleet,
        String groupId) {

    public RecorderConfig {
        // The rules of single settings are declared once, in RecorderSettings; only rules across settings live here.
        RecorderSettings.LETTA_URL.requireValid(lettaBaseUrl);
        Objects.requireNonNull(dataDir, "dataDir");
        RecorderSettings.EMBEDDED_PORT.requireValid(embeddedPort);
        RecorderSettings.TOPIC.requireValid(topic);
        RecorderSettings.PARTITIONS.requireValid(partitions);
        RecorderSettings.COMPRESSION.requireValid(compression);
        kafkaProperties = Map.copyOf(kafkaProperties);
        RunLogConfig.checkPassThrough(kafkaProperties);
        lettaHeaders = LettaHeaders.validate(lettaHeaders);
        agentIds = List.copyOf(agentIds);
        conversationIds = List.copyOf(conversationIds);
        attachRunIds = List.copyOf(attachRunIds);
        RecorderSettings.REQUEST_TIMEOUT.requireValid(requestTimeout);
        RecorderSettings.COMMIT_WINDOW.requireValid(commitWindow);
        RecorderSettings.POLL_INTERVAL.requireValid(pollInterval);
        if (groupId != null) {
            RecorderSettings.GROUP_ID.requireValid(groupId);
        }
        RecorderSettings.CATCH_UP.requireValid(catchUp);
        RecorderSettings.PING_INTERVAL.requireValid(pingInterval);
        RecorderSettings.STOP_REASON_GRACE.requireValid(stopReasonGrace);
        RecorderSettings.ABANDON_AFTER.requireValid(abandonAfter);
        RecorderSettings.BACKOFF_INITIAL.requireValid(backoffInitial);
        RecorderSettings.BACKOFF_MAX.requireValid(backoffMax);
        RecorderSettings.MAX_FRAME_BYTES.requireValid(maxFrameBytes);
        RecorderSettings.SHUTDOWN_TIMEOUT.requireValid(shutdownTimeout);
        RecorderSettings.METRICS_INTERVAL.requireValid(metricsInterval);
        RecorderSettings.HTTP_PORT.requireValid(httpPort);
        require(backoffMax.compareTo(backoffInitial) >= 0, "backoff max must be at least backoff initial");
        if (replicationFactor != ABSENT_REPLICATION_FACTOR) {
            RecorderSettings.REPLICATION_FACTOR.requireValid((int) replicationFactor);
        }
    }

    /** {@link #replicationFactor()} when none is set: the broker's {@code default.replication.factor}. */
    public static final short ABSENT_REPLICATION_FACTOR = -1;

    /** Defaults for everything but the Letta URL: embedded broker, watch all runs. */
    public static Builder builder(String lettaBaseUrl) {
        return new Builder(lettaBaseUrl);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** True when no Kafka is configured: the recorder CLI then runs its own broker. */
    public boolean embeddedBroker() {
        return bootstrapServers == null;
    }

    /** The connection to a run is stalled after this long without a frame: 3x the ping interval. */
    public Duration stallTimeout() {
        return pingInterval.multipliedBy(3);
    }

    @Override
    public String toString() {
        return "RecorderConfig[lettaBaseUrl=" + LettaUrls.shown(lettaBaseUrl) + ", apiKey="
                + (apiKey == null ? "none" : apiKey)
                + ", requestTimeout=" + requestTimeout
                + ", kafka="
                + (bootstrapServers == null ? "embedded(" + dataDir + ", port " + embeddedPort + ")" : bootstrapServers)
                + ", topic=" + topic + ", partitions=" + partitions + ", commitWindow=" + commitWindow
                + ", compression=" + compression
                + ", kafkaProperties=" + new TreeSet<>(kafkaProperties.keySet()) + " (values hidden)"
                + ", watch=" + watch + ", pollInterval=" + pollInterval + ", catchUp=" + catchUp + ", agentIds="
                + agentIds
                + ", conversationIds=" + conversationIds + ", attachRunIds=" + attachRunIds
                + ", send=" + (send == null ? "none" : "otid " + send.otid()) + ", stopWhenIdle=" + stopWhenIdle
                + ", pingInterval=" + pingInterval + ", stopReasonGrace=" + stopReasonGrace + ", abandonAfter="
                + abandonAfter
                + ", backoff=" + backoffInitial + ".." + backoffMax + ", maxFrameBytes=" + maxFrameBytes
                + ", shutdownTimeout=" + shutdownTimeout + ", metricsInterval=" + metricsInterval
                + ", lettaHeaders=" + LettaHeaders.describe(lettaHeaders)
                + ", replicationFactor=" + (replicationFactor < 0 ? "broker default" : replicationFactor)
                + ", rebuildCheckpoints=" + rebuildCheckpoints + ", httpPort=" + httpPort + ", fleet="
                + (inFleet() ? fleetGroupId() : "none")
                + "]";
    }

    /** The fleet's consumer group: the configured one, else {@code lsr-recorder.<topic>}. */
    public String fleetGroupId() {
        return groupId != null ? groupId : "lsr-recorder." + topic;
    }

    /**
     * True when this recorder joins its fleet: asked to ({@code --fleet}, or a {@code --group-id} naming the fleet),
     * and watching. One that does not watch records the runs it is given and stops; it owns every partition while
     * it runs, as a recorder alone does.
     */
    public boolean inFleet() {
        return (fleet || groupId != null) && watch && !stopWhenIdle;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Builds a {@link RecorderConfig}. */
    public static final class Builder {
        // Every default comes from the setting's declaration: there is no second copy of one.
        private String lettaBaseUrl;
        private Secret apiKey;
        private Duration requestTimeout = RecorderSettings.REQUEST_TIMEOUT.defaultValue();
        private String bootstrapServers = RecorderSettings.BOOTSTRAP_SERVERS.defaultValue();
        private Path dataDir = RecorderSettings.DATA_DIR.defaultValue();
        private int embeddedPort = RecorderSettings.EMBEDDED_PORT.defaultValue();
        private String topic = RecorderSettings.TOPIC.defaultValue();
        private int partitions = RecorderSettings.PARTITIONS.defaultValue();
        private Duration commitWindow = RecorderSettings.COMMIT_WINDOW.defaultValue();
        private String compression = RecorderSettings.COMPRESSION.defaultValue();
        private Map<String, String> kafkaProperties = new TreeMap<>();
        private boolean watch = RecorderSettings.WATCH.defaultValue();
        private Duration pollInterval = RecorderSettings.POLL_INTERVAL.defaultValue();
        private Duration catchUp = RecorderSettings.CATCH_UP.defaultValue();
        private List<String> agentIds = RecorderSettings.AGENT_IDS.defaultValue();
        private List<String> conversationIds = RecorderSettings.CONVERSATION_IDS.defaultValue();
        private List<String> attachRunIds = RecorderSettings.ATTACH.defaultValue();
        private SendMessage send;
        private boolean stopWhenIdle;
        private Duration pingInterval = RecorderSettings.PING_INTERVAL.defaultValue();
        private Duration stopReasonGrace = RecorderSettings.STOP_REASON_GRACE.defaultValue();
        private Duration abandonAfter = RecorderSettings.ABANDON_AFTER.defaultValue();
        private Duration backoffInitial = RecorderSettings.BACKOFF_INITIAL.defaultValue();
        private Duration backoffMax = RecorderSettings.BACKOFF_MAX.defaultValue();
        private int maxFrameBytes = RecorderSettings.MAX_FRAME_BYTES.defaultValue();
        private Duration shutdownTimeout = RecorderSettings.SHUTDOWN_TIMEOUT.defaultValue();
        private Duration metricsInterval = RecorderSettings.METRICS_INTERVAL.defaultValue();
        private Map<String, String> lettaHeaders = new TreeMap<>();
        private short replicationFactor = ABSENT_REPLICATION_FACTOR;
        private boolean rebuildCheckpoints = RecorderSettings.REBUILD_CHECKPOINTS.defaultValue();
        private int httpPort = RecorderSettings.HTTP_PORT.defaultValue();
        private boolean fleet = RecorderSettings.FLEET.defaultValue();
        private String groupId;

        private Builder(String lettaBaseUrl) {
            this.lettaBaseUrl = lettaBaseUrl;
        }

        private Builder(RecorderConfig c) {
            lettaBaseUrl = c.lettaBaseUrl;
            apiKey = c.apiKey;
            requestTimeout = c.requestTimeout;
            bootstrapServers = c.bootstrapServers;
            dataDir = c.dataDir;
            embeddedPort = c.embeddedPort;
            topic = c.topic;
            partitions = c.partitions;
            commitWindow = c.commitWindow;
            compression = c.compression;
            kafkaProperties = new TreeMap<>(c.kafkaProperties);
            watch = c.watch;
            pollInterval = c.pollInterval;
            catchUp = c.catchUp;
            agentIds = c.agentIds;
            conversationIds = c.conversationIds;
            attachRunIds = c.attachRunIds;
            send = c.send;
            stopWhenIdle = c.stopWhenIdle;
            pingInterval = c.pingInterval;
            stopReasonGrace = c.stopReasonGrace;
            abandonAfter = c.abandonAfter;
            backoffInitial = c.backoffInitial;
            backoffMax = c.backoffMax;
            maxFrameBytes = c.maxFrameBytes;
            shutdownTimeout = c.shutdownTimeout;
            metricsInterval = c.metricsInterval;
            lettaHeaders = new TreeMap<>(c.lettaHeaders);
            replicationFactor = c.replicationFactor;
            rebuildCheckpoints = c.rebuildCheckpoints;
            httpPort = c.httpPort;
            fleet = c.fleet;
            groupId = c.groupId;
        }

        public Builder lettaBaseUrl(String value) {
            lettaBaseUrl = value;
            return this;
        }

        public Builder apiKey(Secret value) {
            apiKey = value;
            return this;
        }

        public Builder requestTimeout(Duration value) {
            requestTimeout = value;
            return this;
        }
        /** Kafka bootstrap servers; null: the CLI starts an embedded broker. */
        public Builder bootstrapServers(String value) {
            bootstrapServers = value;
            return this;
        }

        public Builder dataDir(Path value) {
            dataDir = value;
            return this;
        }

        public Builder embeddedPort(int value) {
            embeddedPort = value;
            return this;
        }

        public Builder topic(String value) {
            topic = value;
            return this;
        }

        public Builder partitions(int value) {
            partitions = value;
            return this;
        }

        public Builder commitWindow(Duration value) {
            commitWindow = value;
            return this;
        }

        public Builder compression(String value) {
            compression = value;
            return this;
        }

        public Builder kafkaProperties(Map<String, String> value) {
            kafkaProperties = new TreeMap<>(value);
            return this;
        }

        public Builder kafkaProperty(String key, String value) {
            kafkaProperties.put(key, value);
            return this;
        }

        public Builder watch(boolean value) {
            watch = value;
            return this;
        }

        public Builder pollInterval(Duration value) {
            pollInterval = value;
            return this;
        }

        public Builder catchUp(Duration value) {
            catchUp = value;
            return this;
        }

        public Builder agentIds(List<String> value) {
            agentIds = value;
            return this;
        }

        public Builder conversationIds(List<String> value) {
            conversationIds = value;
            return this;
        }

        public Builder attachRunIds(List<String> value) {
            attachRunIds = value;
            return this;
        }

        public Builder send(SendMessage value) {
            send = value;
            return this;
        }

        public Builder stopWhenIdle(boolean value) {
            stopWhenIdle = value;
            return this;
        }

        public Builder pingInterval(Duration value) {
            pingInterval = value;
            return this;
        }

        public Builder stopReasonGrace(Duration value) {
            stopReasonGrace = value;
            return this;
        }

        public Builder abandonAfter(Duration value) {
            abandonAfter = value;
            return this;
        }

        public Builder backoff(Duration initial, Duration max) {
            backoffInitial = initial;
            backoffMax = max;
            return this;
        }

        public Builder maxFrameBytes(int value) {
            maxFrameBytes = value;
            return this;
        }

        public Builder shutdownTimeout(Duration value) {
            shutdownTimeout = value;
            return this;
        }
        /** How often the CLI logs the metrics; zero: never. */
        public Builder metricsInterval(Duration value) {
            metricsInterval = value;
            return this;
        }
        /** Replication factor of created topics; {@link #ABSENT_REPLICATION_FACTOR}: the broker's default. */
        public Builder replicationFactor(short value) {
            replicationFactor = value;
            return this;
        }

        public Builder rebuildCheckpoints(boolean value) {
            rebuildCheckpoints = value;
            return this;
        }

        /** The port the CLI serves metrics and health on; 0: none. */
        public Builder httpPort(int value) {
            httpPort = value;
            return this;
        }

        /** Extra headers on every Letta request, e.g. {@code X-Project-Id}. */
        public Builder lettaHeaders(Map<String, String> value) {
            lettaHeaders = new TreeMap<>(value);
            return this;
        }

        public Builder lettaHeader(String name, String value) {
            lettaHeaders.put(name, value);
            return this;
        }

        /** Joins the fleet of the group id (while watching). */
        public Builder fleet(boolean value) {
            fleet = value;
            return this;
        }

        /** The fleet's consumer group (null: {@code lsr-recorder.<topic>}). */
        public Builder groupId(String value) {
            groupId = value;
            return this;
        }

        public RecorderConfig build() {
            return new RecorderConfig(
                    lettaBaseUrl,
                    apiKey,
                    requestTimeout,
                    bootstrapServers,
                    dataDir,
                    embeddedPort,
                    topic,
                    partitions,
                    commitWindow,
                    compression,
                    kafkaProperties,
                    watch,
                    pollInterval,
                    catchUp,
                    agentIds,
                    conversationIds,
                    attachRunIds,
                    send,
                    stopWhenIdle,
                    pingInterval,
                    stopReasonGrace,
                    abandonAfter,
                    backoffInitial,
                    backoffMax,
                    maxFrameBytes,
                    shutdownTimeout,
                    metricsInterval,
                    lettaHeaders,
                    replicationFactor,
                    rebuildCheckpoints,
                    httpPort,
                    fleet,
                    groupId);
        }
    }
}
