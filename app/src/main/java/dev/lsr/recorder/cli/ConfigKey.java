package dev.lsr.recorder.cli;

/**
 * Every setting of the recorder, declared once: its flag, its properties-file key, its environment
 * variable, its default and what it means. Precedence: flag, then environment, then properties file,
 * then default. The CLI's options are generated from this list.
 */
public enum ConfigKey {
    LETTA_URL("--letta-url", false, "letta.base-url", "LETTA_BASE_URL", "http://localhost:8283",
            "Letta server base URL (none given at all: the demo, see --help)"),
    API_KEY_FILE("--api-key-file", false, "letta.api-key-file", "LETTA_API_KEY_FILE", null,
            "file holding the Letta API key (else the LETTA_API_KEY environment variable)"),
    LETTA_HEADERS("--letta-header", true, "letta.headers", "LETTA_HEADERS", "",
            "an extra header on every Letta request, NAME=VALUE (repeatable; e.g. X-Project-Id=..., user_id=...);"
                    + " values of secret-looking names are never logged"),
    REQUEST_TIMEOUT("--request-timeout", false, "letta.request-timeout", "LSR_REQUEST_TIMEOUT", "10s", "timeout of non-streaming Letta calls"),
    BOOTSTRAP_SERVERS("--bootstrap-servers", false, "kafka.bootstrap-servers", "LSR_BOOTSTRAP_SERVERS", null,
            "Kafka bootstrap servers; absent: start an embedded broker"),
    DATA_DIR("--data-dir", false, "kafka.embedded.data-dir", "LSR_DATA_DIR", "./data/kafka", "the embedded broker's data directory"),
    EMBEDDED_PORT("--embedded-port", false, "kafka.embedded.port", "LSR_EMBEDDED_PORT", "9092", "the embedded broker's port"),
    TOPIC("--topic", false, "topic", "LSR_TOPIC", "letta.chunks", "the chunk topic (checkpoints go to <topic>.checkpoints)"),
    PARTITIONS("--partitions", false, "topic.partitions", "LSR_PARTITIONS", "6", "partitions of the topics when the recorder creates them"),
    REPLICATION_FACTOR("--replication-factor", false, "topic.replication-factor", "LSR_REPLICATION_FACTOR", null,
            "replication factor of the topics the recorder creates (default: the broker's; below 3 is warned about)"),
    REBUILD_CHECKPOINTS("--rebuild-checkpoints", false, "rebuild-checkpoints", "LSR_REBUILD_CHECKPOINTS", "false",
            "rebuild a lost checkpoint topic from the chunk log at start (reads the affected partitions in full)"),
    COMMIT_WINDOW("--commit-window", false, "commit-window", "LSR_COMMIT_WINDOW", "20ms", "how long a record may wait for its transaction"),
    COMPRESSION("--compression", false, "kafka.compression", "LSR_COMPRESSION", "lz4",
            "the producers' compression: none, gzip, snappy, lz4 or zstd (a --kafka-property compression.type wins)"),
    WATCH("--watch", false, "watch", "LSR_WATCH", "true", "watch GET /v1/runs/ for active background runs"),
    POLL_INTERVAL("--poll-interval", false, "watch.poll-interval", "LSR_POLL_INTERVAL", "1s", "how often to watch"),
    CATCH_UP("--catch-up", false, "watch.catch-up", "LSR_CATCH_UP", "3h",
            "when watching starts, also record background runs that ended this recently and are not in the log (0s: off)"),
    AGENT_IDS("--agent-id", true, "watch.agent-ids", "LSR_AGENT_IDS", "", "watch only these agents' runs (comma-separated)"),
    CONVERSATION_IDS("--conversation-id", true, "watch.conversation-ids", "LSR_CONVERSATION_IDS", "", "watch only these conversations' runs"),
    ATTACH("--attach", true, "attach", "LSR_ATTACH", "", "run ids to attach to at start (comma-separated)"),
    SEND_AGENT("--send-agent", false, "send.agent-id", "LSR_SEND_AGENT_ID", null, "send --message to this agent and record the run"),
    SEND_CONVERSATION("--send-conversation", false, "send.conversation-id", "LSR_SEND_CONVERSATION_ID", null,
            "send --message to this conversation and record the run"),
    SEND_MESSAGE("--message", false, "send.message", "LSR_SEND_MESSAGE", null, "the message text to send"),
    PING_INTERVAL("--ping-interval", false, "stream.ping-interval", "LSR_PING_INTERVAL", "20s",
            "the server's keepalive interval; 3x this without a frame is a stall"),
    STOP_REASON_GRACE("--stop-reason-grace", false, "stream.stop-reason-grace", "LSR_STOP_REASON_GRACE", "2s",
            "how long a stream may stay open without a frame after its stop_reason"),
    ABANDON_AFTER("--abandon-after", false, "stream.abandon-after", "LSR_ABANDON_AFTER", "30m",
            "give a run up after this long without progress while the server says it is active"),
    BACKOFF_INITIAL("--backoff-initial", false, "stream.backoff-initial", "LSR_BACKOFF_INITIAL", "250ms", "first reconnect delay"),
    BACKOFF_MAX("--backoff-max", false, "stream.backoff-max", "LSR_BACKOFF_MAX", "30s", "longest reconnect delay"),
    MAX_FRAME_BYTES("--max-frame-bytes", false, "stream.max-frame-bytes", "LSR_MAX_FRAME_BYTES", "4194304",
            "the largest SSE payload recorded as a chunk; larger ones become chunk.rejected"),
    SHUTDOWN_TIMEOUT("--shutdown-timeout", false, "shutdown-timeout", "LSR_SHUTDOWN_TIMEOUT", "10s", "bound on stopping"),
    METRICS_INTERVAL("--metrics-interval", false, "metrics.interval", "LSR_METRICS_INTERVAL", "60s",
            "how often the metrics are logged (logger dev.lsr.recorder.metrics; 0: never)");

    /** Properties-file keys starting with this pass a Kafka client property through. */
    public static final String KAFKA_PROPERTY_PREFIX = "kafka.property.";

    private final String flag;
    private final boolean repeatable;
    private final String property;
    private final String env;
    private final String defaultValue;
    private final String doc;

    ConfigKey(String flag, boolean repeatable, String property, String env, String defaultValue, String doc) {
        this.flag = flag;
        this.repeatable = repeatable;
        this.property = property;
        this.env = env;
        this.defaultValue = defaultValue;
        this.doc = doc;
    }

    /** The command-line flag, e.g. {@code --letta-url}. */
    public String flag() {
        return flag;
    }

    /** True for a list: the flag may repeat, the other sources separate values with commas. */
    public boolean repeatable() {
        return repeatable;
    }

    public String property() {
        return property;
    }

    public String env() {
        return env;
    }

    /** The default, or null when the setting is absent by default. */
    public String defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }
}
