package dev.lsr.recorder;

import dev.lsr.chunklog.TopicConventions;
import dev.lsr.recorder.log.RunLogConfig;
import dev.lsr.settings.BrokerSettings;
import dev.lsr.settings.LettaRetention;
import dev.lsr.settings.Setting;
import dev.lsr.settings.SettingType;
import dev.lsr.settings.Validator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import okhttp3.HttpUrl;

/**
 * Every setting of the recorder, declared once with its flag, properties-file key, environment
 * variable, type, default, rules and doc. {@link RecorderConfig.Builder} takes its defaults from here,
 * {@link RecorderConfig} checks its values with these rules, and the CLI generates its options and
 * parses its sources with them. {@code docs/operations.md} lists them all (a test checks it).
 */
public final class RecorderSettings {

    public static final Setting<String> LETTA_URL = Setting.builder("letta.base-url", SettingType.STRING)
            .flag("--letta-url")
            .env("LETTA_BASE_URL")
            .defaultValue("http://localhost:8283")
            // never quoted: a URL with credentials carries a password, also one that does not parse
            .validator(Validator.of("an http(s) URL", (String url) -> HttpUrl.parse(url) != null)
                    .hidingValue())
            .validator(Validator.of("a URL without credentials (use the API key)", RecorderSettings::noCredentials)
                    .hidingValue())
            .doc("Letta server base URL (none given at all: the demo, see --help)")
            .build();

    public static final Setting<String> API_KEY_FILE = Setting.builder("letta.api-key-file", SettingType.STRING)
            .flag("--api-key-file")
            .env("LETTA_API_KEY_FILE")
            .doc("file holding the Letta API key (else the LETTA_API_KEY environment variable)")
            .build();

    /** NAME=VALUE each; secret, as values may be passwords ({@code X-BARE-PASSWORD}). */
    public static final Setting<List<String>> LETTA_HEADERS = Setting.builder("letta.headers", SettingType.LIST)
            .flag("--letta-header")
            .env("LETTA_HEADERS")
            .defaultValue("")
            .validator(Validator.of(
                    "NAME=VALUE pairs", (List<String> pairs) -> pairs.stream().allMatch(p -> p.indexOf('=') > 0)))
            .secret()
            .doc("an extra header on every Letta request, NAME=VALUE (repeatable; e.g. X-Project-Id=..., user_id=...);"
                    + " values of secret-looking names are never logged")
            .build();

    /**
     * The bound of client timeouts and retry delays: OkHttp keeps its timeouts in int milliseconds, and a retry later
     * than this risks Letta's 3 h stream retention.
     */
    private static final Validator<Duration> AT_MOST_AN_HOUR = Validator.positiveAtMost(Duration.ofHours(1), "1h");

    public static final Setting<Duration> REQUEST_TIMEOUT = duration(
            "letta.request-timeout",
            "--request-timeout",
            "LSR_REQUEST_TIMEOUT",
            "10s",
            AT_MOST_AN_HOUR,
            "timeout of non-streaming Letta calls");

    public static final Setting<String> BOOTSTRAP_SERVERS = Setting.builder(
                    "kafka.bootstrap-servers", SettingType.STRING)
            .flag("--bootstrap-servers")
            .env("LSR_BOOTSTRAP_SERVERS")
            .doc("Kafka bootstrap servers; absent: start an embedded broker")
            .build();

    public static final Setting<Path> DATA_DIR = BrokerSettings.DATA_DIR;

    public static final Setting<Integer> EMBEDDED_PORT = BrokerSettings.EMBEDDED_PORT;

    public static final Setting<String> TOPIC = Setting.builder("topic", SettingType.STRING)
            .flag("--topic")
            .env("LSR_TOPIC")
            .defaultValue(TopicConventions.DEFAULT_CHUNK_TOPIC)
            .validator(Validator.notBlank())
            .doc("the chunk topic (checkpoints go to <topic>.checkpoints)")
            .build();

    public static final Setting<Integer> PARTITIONS = Setting.builder("topic.partitions", SettingType.INT)
            .flag("--partitions")
            .env("LSR_PARTITIONS")
            .defaultValue("6")
            .validator(Validator.atLeast(1))
            .doc("partitions of the topics when the recorder creates them")
            .build();

    public static final Setting<Integer> REPLICATION_FACTOR = Setting.builder(
                    "topic.replication-factor", SettingType.INT)
            .flag("--replication-factor")
            .env("LSR_REPLICATION_FACTOR")
            .validator(Validator.between(1, Short.MAX_VALUE))
            .doc(
                    "replication factor of the topics the recorder creates (default: the broker's; below 3 is warned about)")
            .build();

    public static final Setting<Boolean> REBUILD_CHECKPOINTS = Setting.builder(
                    "rebuild-checkpoints", SettingType.BOOLEAN)
            .flag("--rebuild-checkpoints")
            .env("LSR_REBUILD_CHECKPOINTS")
            .defaultValue("false")
            .doc("rebuild a lost checkpoint topic from the chunk log at start (reads the affected partitions in full)")
            .build();

    public static final Setting<Duration> COMMIT_WINDOW = duration(
            "commit-window",
            "--commit-window",
            "LSR_COMMIT_WINDOW",
            "10ms",
            Validator.positive(),
            "how long a record may wait for its transaction");

    public static final Setting<String> COMPRESSION = Setting.builder("kafka.compression", SettingType.STRING)
            .flag("--compression")
            .env("LSR_COMPRESSION")
            .defaultValue(RunLogConfig.DEFAULT_COMPRESSION)
            .validator(Validator.oneOf(RunLogConfig.COMPRESSION_TYPES))
            .doc(
                    "the producers' compression: none, gzip, snappy, lz4 or zstd (a --kafka-property compression.type wins)")
            .build();

    public static final Setting<Boolean> FLEET = Setting.builder("fleet", SettingType.BOOLEAN)
            .flag("--fleet")
            .env("LSR_FLEET")
            .defaultValue("false")
            .doc("join a fleet: recorders with the same Kafka, topic and --group-id share the partitions through"
                    + " Kafka's consumer group (only while watching; alone, a recorder owns every partition)")
            .build();

    public static final Setting<String> GROUP_ID = Setting.builder("fleet.group-id", SettingType.STRING)
            .flag("--group-id")
            .env("LSR_GROUP_ID")
            .validator(Validator.notBlank())
            .doc("the fleet's consumer group (default lsr-recorder.<topic>); giving one joins that fleet, as --fleet"
                    + " does")
            .build();

    public static final Setting<Boolean> WATCH = Setting.builder("watch", SettingType.BOOLEAN)
            .flag("--watch")
            .env("LSR_WATCH")
            .defaultValue("true")
            .doc("watch GET /v1/runs/ for active background runs")
            .build();

    public static final Setting<Duration> POLL_INTERVAL = duration(
            "watch.poll-interval", "--poll-interval", "LSR_POLL_INTERVAL", "1s", AT_MOST_AN_HOUR, "how often to watch");

    public static final Setting<Duration> CATCH_UP = duration(
            "watch.catch-up",
            "--catch-up",
            "LSR_CATCH_UP",
            "3h",
            Validator.notNegative(),
            "when watching starts, also record background runs that ended this recently and are"
                    + " not in the log (0s: off)");

    public static final Setting<List<String>> AGENT_IDS =
            list("watch.agent-ids", "--agent-id", "LSR_AGENT_IDS", "watch only these agents' runs (comma-separated)");

    public static final Setting<List<String>> CONVERSATION_IDS = list(
            "watch.conversation-ids",
            "--conversation-id",
            "LSR_CONVERSATION_IDS",
            "watch only these conversations' runs");

    public static final Setting<List<String>> ATTACH =
            list("attach", "--attach", "LSR_ATTACH", "run ids to attach to at start (comma-separated)");

    public static final Setting<String> SEND_AGENT = Setting.builder("send.agent-id", SettingType.STRING)
            .flag("--send-agent")
            .env("LSR_SEND_AGENT_ID")
            .doc("send --message to this agent and record the run")
            .build();

    public static final Setting<String> SEND_CONVERSATION = Setting.builder("send.conversation-id", SettingType.STRING)
            .flag("--send-conversation")
            .env("LSR_SEND_CONVERSATION_ID")
            .doc("send --message to this conversation and record the run")
            .build();

    public static final Setting<String> SEND_MESSAGE = Setting.builder("send.message", SettingType.STRING)
            .flag("--message")
            .env("LSR_SEND_MESSAGE")
            .doc("the message text to send")
            .build();

    public static final Setting<Duration> PING_INTERVAL = duration(
            "stream.ping-interval",
            "--ping-interval",
            "LSR_PING_INTERVAL",
            "20s",
            AT_MOST_AN_HOUR,
            "the server's keepalive interval; 3x this without a frame is a stall");

    public static final Setting<Duration> STOP_REASON_GRACE = duration(
            "stream.stop-reason-grace",
            "--stop-reason-grace",
            "LSR_STOP_REASON_GRACE",
            "2s",
            AT_MOST_AN_HOUR,
            "how long a stream may stay open without a frame after its stop_reason");

    public static final Setting<Duration> ABANDON_AFTER = duration(
            "stream.abandon-after",
            "--abandon-after",
            "LSR_ABANDON_AFTER",
            "30m",
            Validator.positiveAtMost(LettaRetention.STREAM, "3h"),
            "give a run up after this long without progress while the server says it is active"
                    + " (time in which Letta could not be reached does not count; at most 3 h, Letta's stream"
                    + " retention)");

    public static final Setting<Duration> BACKOFF_INITIAL = duration(
            "stream.backoff-initial",
            "--backoff-initial",
            "LSR_BACKOFF_INITIAL",
            "250ms",
            AT_MOST_AN_HOUR,
            "first reconnect delay");

    public static final Setting<Duration> BACKOFF_MAX = duration(
            "stream.backoff-max",
            "--backoff-max",
            "LSR_BACKOFF_MAX",
            "30s",
            AT_MOST_AN_HOUR,
            "longest reconnect delay");

    public static final Setting<Integer> MAX_FRAME_BYTES = Setting.builder("stream.max-frame-bytes", SettingType.INT)
            .flag("--max-frame-bytes")
            .env("LSR_MAX_FRAME_BYTES")
            .defaultValue("4194304")
            .validator(Validator.atLeast(1024))
            .doc("the largest SSE payload recorded as a chunk; larger ones become chunk.rejected")
            .build();

    public static final Setting<Duration> SHUTDOWN_TIMEOUT = duration(
            "shutdown-timeout",
            "--shutdown-timeout",
            "LSR_SHUTDOWN_TIMEOUT",
            "10s",
            AT_MOST_AN_HOUR,
            "bound on stopping");

    public static final Setting<Duration> METRICS_INTERVAL = duration(
            "metrics.interval",
            "--metrics-interval",
            "LSR_METRICS_INTERVAL",
            "60s",
            Validator.notNegative(),
            "how often the metrics are logged (logger dev.lsr.recorder.metrics; 0: never)");

    // --- metrics and health over HTTP (issue 13 §2) ---
    /** Only the CLI serves it: a daemon built as a library serves nothing (its owner mounts what it wants). */
    public static final Setting<Integer> HTTP_PORT = Setting.builder("http.port", SettingType.INT)
            .flag("--http-port")
            .env("LSR_HTTP_PORT")
            .defaultValue("9464")
            .validator(Validator.between(0, 65535))
            .doc("port of GET /metrics (Prometheus), /health/live and /health/ready (0: not served)")
            .build();
    // --- end of metrics and health ---

    /** Every setting, in the order of {@code --help}. */
    public static final List<Setting<?>> ALL = List.of(
            LETTA_URL,
            API_KEY_FILE,
            LETTA_HEADERS,
            REQUEST_TIMEOUT,
            BOOTSTRAP_SERVERS,
            DATA_DIR,
            EMBEDDED_PORT,
            TOPIC,
            PARTITIONS,
            REPLICATION_FACTOR,
            REBUILD_CHECKPOINTS,
            COMMIT_WINDOW,
            COMPRESSION,
            FLEET,
            GROUP_ID,
            WATCH,
            POLL_INTERVAL,
            CATCH_UP,
            AGENT_IDS,
            CONVERSATION_IDS,
            ATTACH,
            SEND_AGENT,
            SEND_CONVERSATION,
            SEND_MESSAGE,
            PING_INTERVAL,
            STOP_REASON_GRACE,
            ABANDON_AFTER,
            BACKOFF_INITIAL,
            BACKOFF_MAX,
            MAX_FRAME_BYTES,
            SHUTDOWN_TIMEOUT,
            METRICS_INTERVAL,
            HTTP_PORT);

    private RecorderSettings() {}

    private static boolean noCredentials(String url) {
        HttpUrl parsed = HttpUrl.parse(url);
        return parsed == null
                || parsed.username().isEmpty() && parsed.password().isEmpty();
    }

    private static Setting<Duration> duration(
            String name, String flag, String env, String defaultText, Validator<Duration> rule, String doc) {
        return Setting.builder(name, SettingType.DURATION)
                .flag(flag)
                .env(env)
                .defaultValue(defaultText)
                .validator(rule)
                .doc(doc)
                .build();
    }

    private static Setting<List<String>> list(String name, String flag, String env, String doc) {
        return Setting.builder(name, SettingType.LIST)
                .flag(flag)
                .env(env)
                .defaultValue("")
                .doc(doc)
                .build();
    }
}
