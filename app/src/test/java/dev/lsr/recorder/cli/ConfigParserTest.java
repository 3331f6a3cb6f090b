package dev.lsr.recorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.recorder.RecorderConfig;
import dev.lsr.recorder.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigParserTest {

    private static final String KEY = "sk-let-very-secret-4711";

    @TempDir
    Path dir;

    @Test
    void defaultsGiveAnEmbeddedBrokerWatchingEverything() {
        RecorderConfig config = parse(Map.of(), Map.of(), new Properties());
        assertEquals("http://localhost:8283", config.lettaBaseUrl());
        assertTrue(config.embeddedBroker());
        assertEquals(Path.of("./data/kafka"), config.dataDir());
        assertEquals(9092, config.embeddedPort());
        assertEquals("letta.chunks", config.topic());
        assertTrue(config.watch());
        assertFalse(config.stopWhenIdle());
        assertEquals(Duration.ofSeconds(60), config.stallTimeout());
        assertNull(config.apiKey());
        assertNull(config.send());
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsTheFileWhichBeatsDefaults() {
        Properties file = new Properties();
        file.setProperty("topic", "from.file");
        file.setProperty("commit-window", "50ms");
        file.setProperty("watch.poll-interval", "3s");
        Map<String, String> env = Map.of("LSR_TOPIC", "from.env", "LSR_COMMIT_WINDOW", "70ms");
        Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
        flags.put(ConfigKey.TOPIC, "from.flag");

        RecorderConfig config = parse(flags, env, file);

        assertEquals("from.flag", config.topic());
        assertEquals(Duration.ofMillis(70), config.commitWindow());
        assertEquals(Duration.ofSeconds(3), config.pollInterval());
        assertEquals(Duration.ofMinutes(30), config.abandonAfter());
    }

    @Test
    void listsComeCommaSeparatedAndKafkaPropertiesFromFileAndFlags() {
        Properties file = new Properties();
        file.setProperty("watch.agent-ids", "agent-1, agent-2");
        file.setProperty("kafka.property.security.protocol", "SSL");
        file.setProperty("kafka.property.linger.ms", "5");
        Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
        flags.put(ConfigKey.ATTACH, "run-1,run-2");
        RecorderConfig config = new ConfigParser(flags, Map.of(), file).parse(List.of("linger.ms=7", "sasl.jaas.config=a=b"));
        assertEquals(List.of("agent-1", "agent-2"), config.agentIds());
        assertEquals(List.of("run-1", "run-2"), config.attachRunIds());
        assertEquals(Map.of("security.protocol", "SSL", "linger.ms", "7", "sasl.jaas.config", "a=b"), config.kafkaProperties());
    }

    @Test
    void theApiKeyComesFromTheEnvironmentOrAFileAndIsRedacted() throws Exception {
        RecorderConfig fromEnv = parse(Map.of(), Map.of("LETTA_API_KEY", KEY), new Properties());
        assertEquals(Secret.of(KEY), fromEnv.apiKey());
        Path keyFile = Files.writeString(dir.resolve("key"), KEY + "\n");
        Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
        flags.put(ConfigKey.API_KEY_FILE, keyFile.toString());
        RecorderConfig fromFile = parse(flags, Map.of("LETTA_API_KEY", "other"), new Properties());
        assertEquals(KEY, fromFile.apiKey().reveal());
        assertFalse(fromFile.toString().contains(KEY), fromFile.toString());
        assertTrue(fromFile.toString().contains("apiKey=[redacted]"));
    }

    @Test
    void kafkaPropertyValuesAreNotShown() {
        RecorderConfig config = new ConfigParser(Map.of(), Map.of(), new Properties())
                .parse(List.of("sasl.jaas.config=password=hunter2"));
        assertFalse(config.toString().contains("hunter2"));
        assertTrue(config.toString().contains("sasl.jaas.config"));
    }

    @Test
    void aSendNeedsATarget() {
        Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
        flags.put(ConfigKey.SEND_MESSAGE, "hello");
        ConfigException e = assertThrows(ConfigException.class, () -> parse(flags, Map.of(), new Properties()));
        assertTrue(e.getMessage().contains("--send-agent"));
        flags.put(ConfigKey.SEND_CONVERSATION, "conv-1");
        RecorderConfig config = parse(flags, Map.of(), new Properties());
        assertEquals("conv-1", config.send().conversationId());
        assertEquals("hello", config.send().text());
    }

    @Test
    void badValuesNameTheSettingAndNeverTheKey() throws Exception {
        assertMessage(Map.of(ConfigKey.COMMIT_WINDOW, "soon"), "--commit-window");
        assertMessage(Map.of(ConfigKey.PARTITIONS, "many"), "--partitions");
        assertMessage(Map.of(ConfigKey.WATCH, "yes"), "--watch");
        assertMessage(Map.of(ConfigKey.COMPRESSION, "brotli"), "--compression");
        assertMessage(Map.of(ConfigKey.LETTA_URL, "ftp:/nope"), "not an http(s) URL");
        assertMessage(Map.of(ConfigKey.API_KEY_FILE, dir.resolve("missing").toString()), "cannot read the API key file");
        Properties file = new Properties();
        file.setProperty("topci", "typo");
        ConfigException typo = assertThrows(ConfigException.class, () -> parse(Map.of(), Map.of(), file));
        assertTrue(typo.getMessage().contains("topci"));
        Path keyFile = Files.writeString(dir.resolve("key"), KEY);
        Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
        flags.put(ConfigKey.API_KEY_FILE, keyFile.toString());
        flags.put(ConfigKey.ABANDON_AFTER, "-1s");
        ConfigException e = assertThrows(ConfigException.class, () -> parse(flags, Map.of(), new Properties()));
        assertFalse(e.getMessage().contains(KEY));
    }

    @Test
    void durationsTakeUnitsOrIsoForm() {
        Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
        flags.put(ConfigKey.PING_INTERVAL, "PT0.5S");
        flags.put(ConfigKey.ABANDON_AFTER, "2h");
        flags.put(ConfigKey.SHUTDOWN_TIMEOUT, "1500ms");
        RecorderConfig config = parse(flags, Map.of(), new Properties());
        assertEquals(Duration.ofMillis(500), config.pingInterval());
        assertEquals(Duration.ofHours(2), config.abandonAfter());
        assertEquals(Duration.ofMillis(1500), config.shutdownTimeout());
    }

    @Test
    void metricsAreLoggedEveryMinuteByDefaultAndZeroTurnsThatOff() {
        assertEquals(Duration.ofSeconds(60), parse(Map.of(), Map.of(), new Properties()).metricsInterval());
        assertEquals(Duration.ZERO, parse(Map.of(), Map.of("LSR_METRICS_INTERVAL", "0"), new Properties()).metricsInterval());
        Properties file = new Properties();
        file.setProperty("metrics.interval", "15s");
        assertEquals(Duration.ofSeconds(15), parse(Map.of(), Map.of(), file).metricsInterval());
        assertMessage(Map.of(ConfigKey.METRICS_INTERVAL, "often"), "--metrics-interval");
        assertMessage(Map.of(ConfigKey.SHUTDOWN_TIMEOUT, "0"), "durations must be positive");
    }

    private void assertMessage(Map<ConfigKey, String> flags, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(new EnumMap<>(flags), Map.of(), new Properties()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static RecorderConfig parse(Map<ConfigKey, String> flags, Map<String, String> env, Properties file) {
        return new ConfigParser(flags, env, file).parse(List.of());
    }
}
