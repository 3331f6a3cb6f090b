package dev.lsr.recorder.cli;

import dev.lsr.recorder.RecorderSettings;
import dev.lsr.settings.Setting;

/**
 * Every setting of the recorder's command line, each pointing at its one declaration in
 * {@link RecorderSettings} (flag, properties-file key, environment variable, type, default, rules,
 * doc). Precedence: flag, then environment, then properties file, then default. The CLI's options are
 * generated from this list.
 */
public enum ConfigKey {
    LETTA_URL(RecorderSettings.LETTA_URL),
    API_KEY_FILE(RecorderSettings.API_KEY_FILE),
    LETTA_HEADERS(RecorderSettings.LETTA_HEADERS),
    REQUEST_TIMEOUT(RecorderSettings.REQUEST_TIMEOUT),
    BOOTSTRAP_SERVERS(RecorderSettings.BOOTSTRAP_SERVERS),
    DATA_DIR(RecorderSettings.DATA_DIR),
    EMBEDDED_PORT(RecorderSettings.EMBEDDED_PORT),
    TOPIC(RecorderSettings.TOPIC),
    PARTITIONS(RecorderSettings.PARTITIONS),
    REPLICATION_FACTOR(RecorderSettings.REPLICATION_FACTOR),
    REBUILD_CHECKPOINTS(RecorderSettings.REBUILD_CHECKPOINTS),
    COMMIT_WINDOW(RecorderSettings.COMMIT_WINDOW),
    COMPRESSION(RecorderSettings.COMPRESSION),
    FLEET(RecorderSettings.FLEET),
    GROUP_ID(RecorderSettings.GROUP_ID),
    WATCH(RecorderSettings.WATCH),
    POLL_INTERVAL(RecorderSettings.POLL_INTERVAL),
    CATCH_UP(RecorderSettings.CATCH_UP),
    AGENT_IDS(RecorderSettings.AGENT_IDS),
    CONVERSATION_IDS(RecorderSettings.CONVERSATION_IDS),
    ATTACH(RecorderSettings.ATTACH),
    SEND_AGENT(RecorderSettings.SEND_AGENT),
    SEND_CONVERSATION(RecorderSettings.SEND_CONVERSATION),
    SEND_MESSAGE(RecorderSettings.SEND_MESSAGE),
    PING_INTERVAL(RecorderSettings.PING_INTERVAL),
    STOP_REASON_GRACE(RecorderSettings.STOP_REASON_GRACE),
    ABANDON_AFTER(RecorderSettings.ABANDON_AFTER),
    BACKOFF_INITIAL(RecorderSettings.BACKOFF_INITIAL),
    BACKOFF_MAX(RecorderSettings.BACKOFF_MAX),
    MAX_FRAME_BYTES(RecorderSettings.MAX_FRAME_BYTES),
    SHUTDOWN_TIMEOUT(RecorderSettings.SHUTDOWN_TIMEOUT),
    METRICS_INTERVAL(RecorderSettings.METRICS_INTERVAL),
    HTTP_PORT(RecorderSettings.HTTP_PORT);

    /** Properties-file keys starting with this pass a Kafka client property through. */
    public static final String KAFKA_PROPERTY_PREFIX = "kafka.property.";

    private final Setting<?> setting;

    ConfigKey(Setting<?> setting) {
        this.setting = setting;
    }

    /** The declaration: type, default, rules and doc. */
    public Setting<?> setting() {
        return setting;
    }

    /** The command-line flag, e.g. {@code --letta-url}. */
    public String flag() {
        return setting.flag();
    }

    /** True for a list: the flag may repeat, the other sources separate values with commas. */
    public boolean repeatable() {
        return setting.repeatable();
    }

    public String property() {
        return setting.name();
    }

    public String env() {
        return setting.env();
    }

    /** The default as written, or null when the setting is absent by default. */
    public String defaultValue() {
        return setting.defaultText();
    }

    public String doc() {
        return setting.doc();
    }
}
