package dev.lsr.recorder.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.recorder.RecorderConfig;
import dev.lsr.recorder.Secret;
import dev.lsr.recorder.SendMessage;
import dev.lsr.recorder.log.RunLogConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns the raw settings (flags, environment, properties file) into one {@link RecorderConfig}, once.
 * Every error is a {@link ConfigException} naming the setting; values of secrets are never echoed.
 */
public final class ConfigParser {

    /** The environment variable holding the Letta API key itself. */
    public static final String API_KEY_ENV = "LETTA_API_KEY";

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Set<String> KNOWN_PROPERTIES =
            Arrays.stream(ConfigKey.values()).map(ConfigKey::property).collect(Collectors.toSet());

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
        String bootstrap = value(ConfigKey.BOOTSTRAP_SERVERS);
        boolean watch = bool(ConfigKey.WATCH);
        try {
            return RecorderConfig.builder(value(ConfigKey.LETTA_URL))
                    .apiKey(apiKey())
                    .requestTimeout(duration(ConfigKey.REQUEST_TIMEOUT))
                    .bootstrapServers(bootstrap == null || bootstrap.isBlank() ? null : bootstrap.strip())
                    .dataDir(Path.of(value(ConfigKey.DATA_DIR)))
                    .embeddedPort(integer(ConfigKey.EMBEDDED_PORT))
                    .topic(value(ConfigKey.TOPIC))
                    .partitions(integer(ConfigKey.PARTITIONS))
                    .commitWindow(duration(ConfigKey.COMMIT_WINDOW))
                    .compression(oneOf(ConfigKey.COMPRESSION, RunLogConfig.COMPRESSION_TYPES))
                    .kafkaProperties(kafkaProperties(kafkaFlags))
                    .watch(watch)
                    .stopWhenIdle(!watch)
                    .pollInterval(duration(ConfigKey.POLL_INTERVAL))
                    .catchUp(duration(ConfigKey.CATCH_UP))
                    .agentIds(list(ConfigKey.AGENT_IDS))
                    .conversationIds(list(ConfigKey.CONVERSATION_IDS))
                    .attachRunIds(list(ConfigKey.ATTACH))
                    .send(send())
                    .pingInterval(duration(ConfigKey.PING_INTERVAL))
                    .stopReasonGrace(duration(ConfigKey.STOP_REASON_GRACE))
                    .abandonAfter(duration(ConfigKey.ABANDON_AFTER))
                    .backoff(duration(ConfigKey.BACKOFF_INITIAL), duration(ConfigKey.BACKOFF_MAX))
                    .maxFrameBytes(integer(ConfigKey.MAX_FRAME_BYTES))
                    .shutdownTimeout(duration(ConfigKey.SHUTDOWN_TIMEOUT))
                    .metricsInterval(duration(ConfigKey.METRICS_INTERVAL))
                    .lettaHeaders(lettaHeaders())
                    .replicationFactor(replicationFactor())
                    .rebuildCheckpoints(bool(ConfigKey.REBUILD_CHECKPOINTS))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
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
                String content = Files.readString(Path.of(keyFile.strip()), UTF_8);
                if (content.isBlank()) {
                    throw new ConfigException("the API key file " + keyFile + " is empty");
                }
                return Secret.of(content);
            } catch (IOException e) {
                throw new ConfigException("cannot read the API key file " + keyFile + " (" + e.getClass().getSimpleName() + ")");
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
            throw new ConfigException(ConfigKey.SEND_MESSAGE.flag() + " needs " + ConfigKey.SEND_AGENT.flag()
                    + " or " + ConfigKey.SEND_CONVERSATION.flag());
        }
        return new SendMessage(agent, conversation, text, UUID.randomUUID().toString());
    }

    /** {@code NAME=VALUE} each; a value never appears in an error (it may be a password). */
    private Map<String, String> lettaHeaders() {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String pair : list(ConfigKey.LETTA_HEADERS)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(ConfigKey.LETTA_HEADERS.flag() + " needs NAME=VALUE, got a value without '=' or name");
            }
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

    private List<String> list(ConfigKey key) {
        String raw = value(key);
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        return Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private boolean bool(ConfigKey key) {
        String raw = value(key).strip();
        return switch (raw) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, raw, "true or false");
        };
    }

    /** Absent: -1, the broker's default. */
    private short replicationFactor() {
        String raw = value(ConfigKey.REPLICATION_FACTOR);
        if (raw == null || raw.isBlank()) {
            return -1;
        }
        int factor = integer(ConfigKey.REPLICATION_FACTOR);
        if (factor < 1 || factor > Short.MAX_VALUE) {
            throw invalid(ConfigKey.REPLICATION_FACTOR, raw.strip(), "a positive whole number");
        }
        return (short) factor;
    }

    private String oneOf(ConfigKey key, List<String> allowed) {
        String raw = value(key).strip();
        if (!allowed.contains(raw)) {
            throw invalid(key, raw, "one of " + String.join(", ", allowed));
        }
        return raw;
    }

    private int integer(ConfigKey key) {
        String raw = value(key).strip();
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw invalid(key, raw, "a whole number");
        }
    }

    private Duration duration(ConfigKey key) {
        String raw = value(key).strip();
        if (raw.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = DURATION.matcher(raw);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(raw);
        } catch (DateTimeParseException e) {
            throw invalid(key, raw, "a duration like 250ms, 2s, 5m, 1h, PT2S or 0");
        }
    }

    private static ConfigException invalid(ConfigKey key, String raw, String expected) {
        return new ConfigException(key.flag() + " (" + key.env() + ", " + key.property() + "): '" + raw
                + "' is not " + expected);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
