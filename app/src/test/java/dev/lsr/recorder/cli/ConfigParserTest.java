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
    void aRecorderJoinsAFleetWithFleetOrAGroupIdAndOnlyWhileWatching() {
        assertFalse(parse(Map.of(), Map.of(), new Properties()).inFleet(), "alone by default");
        RecorderConfig flagged = parse(Map.of(), Map.of("LSR_FLEET", "true"), new Properties());
        assertTrue(flagged.inFleet());
        assertEquals("lsr-recorder.letta.chunks", flagged.fleetGroupId());
        Map<ConfigKey, String> named = new EnumMap<>(ConfigKey.class);
        named.put(ConfigKey.GROUP_ID, "recorders-eu");
        RecorderConfig grouped = parse(named, Map.of(), new Properties());
        assertTrue(grouped.inFleet(), "a group id names a fleet: giving one joins it");
        assertEquals("recorders-eu", grouped.fleetGroupId());
        named.put(ConfigKey.WATCH, "false");
        assertFalse(parse(named, Map.of(), new Properties()).inFleet(), "a recorder that does not watch owns all");
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
        RecorderConfig config =
                new ConfigParser(flags, Map.of(), file).parse(List.of("linger.ms=7", "sasl.jaas.config=a=b"));
        assertEquals(List.of("agent-1", "agent-2"), config.agentIds());
        assertEquals(List.of("run-1", "run-2"), config.attachRunIds());
        assertEquals(
                Map.of("security.protocol", "SSL", "linger.ms", "7", "sasl.jaas.config", "a=b"),
                config.kafkaProperties());
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
        assertMessage(Map.of(ConfigKey.API_KEY_FILE, dir.toString()), "cannot read --api-key-file " + dir);
        ConfigException keyGiven = assertThrows(
                ConfigException.class, () -> parse(Map.of(ConfigKey.API_KEY_FILE, KEY), Map.of(), new Properties()));
        assertFalse(keyGiven.getMessage().contains(KEY), "the key given instead of its file is not echoed");
        assertEquals(
                "--api-key-file names no file (the value is not shown: it may be the key itself)",
                keyGiven.getMessage());
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

    /**
     * Durations that would overflow a client's timeout (OkHttp keeps milliseconds in an int: a stack trace at start)
     * or outlast Letta's 3 h stream retention (a run retrying that long has lost its buffer) are refused at once.
     */
    @Test
    void durationsBeyondWhatTheirUseAllowsAreRefused() {
        assertMessage(
                Map.of(ConfigKey.PING_INTERVAL, "9d"),
                "--ping-interval (LSR_PING_INTERVAL, stream.ping-interval): '9d' is not a positive duration of at most 1h");
        assertMessage(Map.of(ConfigKey.BACKOFF_MAX, "4h"), "--backoff-max");
        assertMessage(Map.of(ConfigKey.ABANDON_AFTER, "4h"), "--abandon-after");
        assertMessage(Map.of(ConfigKey.REQUEST_TIMEOUT, "30d"), "--request-timeout");
    }

    @Test
    void metricsAreLoggedEveryMinuteByDefaultAndZeroTurnsThatOff() {
        assertEquals(
                Duration.ofSeconds(60),
                parse(Map.of(), Map.of(), new Properties()).metricsInterval());
        assertEquals(
                Duration.ZERO,
                parse(Map.of(), Map.of("LSR_METRICS_INTERVAL", "0"), new Properties())
                        .metricsInterval());
        Properties file = new Properties();
        file.setProperty("metrics.interval", "15s");
        assertEquals(Duration.ofSeconds(15), parse(Map.of(), Map.of(), file).metricsInterval());
        assertMessage(Map.of(ConfigKey.METRICS_INTERVAL, "often"), "--metrics-interval");
        assertMessage(
                Map.of(ConfigKey.SHUTDOWN_TIMEOUT, "0"),
                "--shutdown-timeout (LSR_SHUTDOWN_TIMEOUT, shutdown-timeout): '0' is not a positive duration");
    }

    /** Every source is read by the declaration's type and rules, and the error names the setting. */
    @Test
    void theDeclaredRulesCheckEverySource() {
        assertEquals(
                "--embedded-port (LSR_EMBEDDED_PORT, kafka.embedded.port): '70000' is not a whole number within 0..65535",
                assertThrows(
                                ConfigException.class,
                                () -> parse(Map.of(), Map.of("LSR_EMBEDDED_PORT", "70000"), new Properties()))
                        .getMessage());
        Properties file = new Properties();
        file.setProperty("topic.partitions", "0");
        assertEquals(
                "--partitions (LSR_PARTITIONS, topic.partitions): '0' is not a positive whole number",
                assertThrows(ConfigException.class, () -> parse(Map.of(), Map.of(), file))
                        .getMessage());
        assertMessage(
                Map.of(ConfigKey.MAX_FRAME_BYTES, "10"),
                "--max-frame-bytes (LSR_MAX_FRAME_BYTES, stream.max-frame-bytes): '10' is not a whole number of at least 1024");
        assertMessage(
                Map.of(ConfigKey.REPLICATION_FACTOR, "0"),
                "--replication-factor (LSR_REPLICATION_FACTOR,"
                        + " topic.replication-factor): '0' is not a whole number within 1..32767");
        assertMessage(
                Map.of(ConfigKey.CATCH_UP, "PT-1S"),
                "--catch-up (LSR_CATCH_UP, watch.catch-up): 'PT-1S' is not a duration of zero or more");
        assertMessage(
                Map.of(ConfigKey.COMMIT_WINDOW, "soon"),
                "--commit-window (LSR_COMMIT_WINDOW, commit-window): 'soon'"
                        + " is not a duration like 250ms, 10s, 30m, 3h, 1d, PT2S or 0");
        ConfigException header = assertThrows(
                ConfigException.class,
                () -> parse(
                        new EnumMap<>(Map.of(ConfigKey.LETTA_HEADERS, "X-BARE-PASSWORD")), Map.of(), new Properties()));
        assertEquals(
                "--letta-header (LETTA_HEADERS, letta.headers): the value given is not NAME=VALUE pairs",
                header.getMessage());
        ConfigException url = assertThrows(
                ConfigException.class,
                () -> parse(
                        Map.of(), Map.of("LETTA_BASE_URL", "http://me:hunter2@letta.example.com"), new Properties()));
        assertFalse(url.getMessage().contains("hunter2"), url.getMessage());
        assertTrue(
                parse(Map.of(), Map.of("LSR_REPLICATION_FACTOR", " "), new Properties())
                                .replicationFactor()
                        < 0,
                "blank: the broker's default");
    }

    /**
     * A secret in a setting that fails its check never reaches the error line: a Letta URL with a password that does
     * not parse, a curl-style header whose "name" holds the key, a header value outside printable ASCII (which
     * OkHttp would refuse quoting it).
     */
    @Test
    void aBadSettingHoldingASecretIsNotQuoted() {
        for (String url : List.of(
                "htps://me:hunter2@letta.example.com",
                "http://me:hunter2@letta:99999",
                "http://me:hunter2@letta example.com")) {
            ConfigException e = assertThrows(
                    ConfigException.class, () -> parse(Map.of(), Map.of("LETTA_BASE_URL", url), new Properties()));
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
            assertTrue(e.getMessage().startsWith("--letta-url (LETTA_BASE_URL, letta.base-url)"), e.getMessage());
        }
        for (String header :
                List.of("X-Api-Key: c2VjcmV0dG9rZW4=", "X-BARE-PASSWORD=p\u00e4sswort", "X-Api-Key=s3cret\u00a0")) {
            ConfigException e = assertThrows(
                    ConfigException.class,
                    () -> parse(new EnumMap<>(Map.of(ConfigKey.LETTA_HEADERS, header)), Map.of(), new Properties()));
            assertFalse(e.getMessage().contains("c2VjcmV0"), e.getMessage());
            assertFalse(e.getMessage().contains("sswort"), e.getMessage());
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
            assertTrue(e.getMessage().startsWith("--letta-header (LETTA_HEADERS, letta.headers)"), e.getMessage());
        }
    }

    @Test
    void aMalformedEscapeInTheConfigFileIsAConfigError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("recorder.properties"), "letta.api-key-file=C:\\users\\lsr\\key\n");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.load(file));

        assertTrue(e.getMessage().startsWith("cannot read the config file " + file), e.getMessage());
        assertTrue(e.getMessage().contains("escape"), e.getMessage());
    }

    private void assertMessage(Map<ConfigKey, String> flags, String expected) {
        ConfigException e =
                assertThrows(ConfigException.class, () -> parse(new EnumMap<>(flags), Map.of(), new Properties()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static RecorderConfig parse(Map<ConfigKey, String> flags, Map<String, String> env, Properties file) {
        return new ConfigParser(flags, env, file).parse(List.of());
    }
}
