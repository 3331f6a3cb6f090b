package dev.lsr.recorder.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.cli.SecretFiles;
import dev.lsr.recorder.RecorderConfig;
import dev.lsr.recorder.RecorderSettings;
import dev.lsr.recorder.Secret;
import dev.lsr.recorder.SendMessage;
import dev.lsr.settings.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Turns the raw settings (flags, environment, properties file) into one {@link RecorderConfig}, once.
 * Every error is a {@link ConfigException} naming the setting; values of secrets are never echoed.
 */
public final class ConfigParser {

    /** The environment variable holding the Letta API key itself. */
    public static final String API_KEY_ENV = "LETTA_API_KEY";

    private static final Set<String> KNOWN_PROPERTIES =
            Arrays.stream(ConfigKey.values()).map(ConfigKey::property).collect(Collectors.toSet());
    private static final Map<Setting<?>, ConfigKey> KEYS =
            Arrays.stream(ConfigKey.values()).collect(Collectors.toMap(ConfigKey::setting, key -> key));

    private final Map<ConfigKey, String> flags;
    private final Map<String, String> env;
    private final Properties file;

    /**
     * @param flags values given on the command line (lists already joined with commas)
     * @param env   the environment
     * @param file  the properties file's settings (empty when there is none)
     */
    public ConfigParser(Map<ConfigKey, String> flags, Map<String, String> env, Properties file) {
        this.flags = flags;
        this.env = env;
        this.file = file;
    }

    /** Reads a properties file. */
    public static Properties load(Path path) {
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(path, UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read the config file " + path + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            // Properties' own error for a backslash-u not followed by four hex digits (a Windows path, a password)
            throw new ConfigException("cannot read the config file " + path + ": a malformed \\uXXXX escape"
                    + " (a backslash starts an escape in a properties file: write paths with / or \\\\)");
        }
        return properties;
    }

    /**
     * @param kafkaFlags {@code --kafka-property} values, {@code key=value} each
     */
    public RecorderConfig parse(List<String> kafkaFlags) {
        for (String name : file.stringPropertyNames()) {
            if (!KNOWN_PROPERTIES.contains(name) && !name.startsWith(ConfigKey.KAFKA_PROPERTY_PREFIX)) {
                throw new ConfigException("unknown setting '" + name + "' in the config file");
            }
        }
        try {
            boolean watch = get(RecorderSettings.WATCH);
            return RecorderConfig.builder(get(RecorderSettings.LETTA_URL))
                    .apiKey(apiKey())
                    .requestTimeout(get(RecorderSettings.REQUEST_TIMEOUT))
                    .bootstrapServers(blankToNull(value(ConfigKey.BOOTSTRAP_SERVERS)))
                    .dataDir(get(RecorderSettings.DATA_DIR))
                    .embeddedPort(get(RecorderSettings.EMBEDDED_PORT))
                    .topic(get(RecorderSettings.TOPIC))
                    .partitions(get(RecorderSettings.PARTITIONS))
                    .commitWindow(get(RecorderSettings.COMMIT_WINDOW))
                    .compression(get(RecorderSettings.COMPRESSION))
                    .kafkaProperties(kafkaProperties(kafkaFlags))
                    .fleet(get(RecorderSettings.FLEET))
                    .groupId(get(RecorderSettings.GROUP_ID))
                    .watch(watch)
                    .stopWhenIdle(!watch)
                    .pollInterval(get(RecorderSettings.POLL_INTERVAL))
                    .catchUp(get(RecorderSettings.CATCH_UP))
                    .agentIds(get(RecorderSettings.AGENT_IDS))
                    .conversationIds(get(RecorderSettings.CONVERSATION_IDS))
                    .attachRunIds(get(RecorderSettings.ATTACH))
                    .send(send())
                    .pingInterval(get(RecorderSettings.PING_INTERVAL))
                    .stopReasonGrace(get(RecorderSettings.STOP_REASON_GRACE))
                    .abandonAfter(get(RecorderSettings.ABANDON_AFTER))
                    .backoff(get(RecorderSettings.BACKOFF_INITIAL), get(RecorderSettings.BACKOFF_MAX))
                    .maxFrameBytes(get(RecorderSettings.MAX_FRAME_BYTES))
                    .shutdownTimeout(get(RecorderSettings.SHUTDOWN_TIMEOUT))
                    .metricsInterval(get(RecorderSettings.METRICS_INTERVAL))
                    .lettaHeaders(lettaHeaders())
                    .replicationFactor(replicationFactor())
                    .rebuildCheckpoints(get(RecorderSettings.REBUILD_CHECKPOINTS))
                    .httpPort(get(RecorderSettings.HTTP_PORT))
                    .build();
        } catch (IllegalArgumentException e) {
            // SettingException names the setting and hides secret values; RecorderConfig's cross-setting rules too
            throw new ConfigException(e.getMessage());
        }
    }

    /** The effective value, read and checked by the setting's declaration (null when absent). */
    private <T> T get(Setting<T> setting) {
        return setting.parse(value(KEYS.get(setting)));
    }

    /** The effective raw value: flag, environment, file, default (null when absent). */
    String value(ConfigKey key) {
        String flag = flags.get(key);
        if (flag != null) {
            return flag;
        }
        String fromEnv = env.get(key.env());
        if (fromEnv != null) {
            return fromEnv;
        }
        return file.getProperty(key.property(), key.defaultValue());
    }

    private Secret apiKey() {
        String keyFile = value(ConfigKey.API_KEY_FILE);
        if (keyFile != null && !keyFile.isBlank()) {
            try {
                return Secret.of(SecretFiles.read(ConfigKey.API_KEY_FILE.flag(), keyFile));
            } catch (SecretFiles.UnreadableSecretFileException e) {
                throw new ConfigException(e.getMessage());
            }
        }
        String fromEnv = env.get(API_KEY_ENV);
        return fromEnv == null || fromEnv.isBlank() ? null : Secret.of(fromEnv);
    }

    private SendMessage send() {
        String text = value(ConfigKey.SEND_MESSAGE);
        String agent = blankToNull(value(ConfigKey.SEND_AGENT));
        String conversation = blankToNull(value(ConfigKey.SEND_CONVERSATION));
        if (text == null) {
            if (agent != null || conversation != null) {
                throw new ConfigException(ConfigKey.SEND_AGENT.flag() + "/" + ConfigKey.SEND_CONVERSATION.flag()
                        + " need " + ConfigKey.SEND_MESSAGE.flag());
            }
            return null;
        }
        if (agent == null && conversation == null) {
            throw new ConfigException(ConfigKey.SEND_MESSAGE.flag() + " needs " + ConfigKey.SEND_AGENT.flag() + " or "
                    + ConfigKey.SEND_CONVERSATION.flag());
        }
        return new SendMessage(agent, conversation, text, UUID.randomUUID().toString());
    }

    /** {@code NAME=VALUE} each (checked by the declaration, which never shows a value: it may be a password). */
    private Map<String, String> lettaHeaders() {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String pair : get(RecorderSettings.LETTA_HEADERS)) {
            int eq = pair.indexOf('=');
            headers.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return headers;
    }

    private Map<String, String> kafkaProperties(List<String> kafkaFlags) {
        Map<String, String> properties = new TreeMap<>();
        for (String name : file.stringPropertyNames()) {
            if (name.startsWith(ConfigKey.KAFKA_PROPERTY_PREFIX)) {
                properties.put(name.substring(ConfigKey.KAFKA_PROPERTY_PREFIX.length()), file.getProperty(name));
            }
        }
        for (String pair : kafkaFlags) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--kafka-property needs KEY=VALUE, got a value without '=' or key");
            }
            properties.put(pair.substring(0, eq).strip(), pair.substring(eq + 1));
        }
        return properties;
    }

    /** Absent (or blank): the broker's default. */
    private short replicationFactor() {
        Integer factor = RecorderSettings.REPLICATION_FACTOR.parse(blankToNull(value(ConfigKey.REPLICATION_FACTOR)));
        return factor == null ? RecorderConfig.ABSENT_REPLICATION_FACTOR : factor.shortValue();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
