package dev.lsr.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.settings.Setting;
import dev.lsr.settings.SettingException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class RecorderSettingsTest {

    private static final String URL = "http://127.0.0.1:8283";

    @Test
    void namesFlagsAndEnvironmentVariablesAreUnique() {
        Set<String> seen = new HashSet<>();
        for (Setting<?> setting : RecorderSettings.ALL) {
            assertTrue(seen.add(setting.name()), setting.name());
            assertTrue(seen.add(setting.flag()), setting.flag());
            assertTrue(seen.add(setting.env()), setting.env());
            assertTrue(setting.flag().startsWith("--"), setting.flag());
            assertFalse(setting.doc().isBlank(), setting.name());
        }
    }

    /** A token in the Letta URL's query (a proxy that takes one) is left out where the configuration is shown. */
    @Test
    void theConfigurationShownLeavesOutATokenInTheLettaUrl() {
        RecorderConfig config = RecorderConfig.builder("http://letta.example:8283/?access_token=QTOKEN123")
                .build();

        assertFalse(config.toString().contains("QTOKEN123"), config.toString());
        assertTrue(config.toString().contains("lettaBaseUrl=http://letta.example:8283,"), config.toString());
    }

    /** The builder has no default of its own: each one is the declaration's. */
    @Test
    void theBuildersDefaultsAreTheDeclarations() {
        RecorderConfig config = RecorderConfig.builder(URL).build();
        assertEquals(RecorderSettings.REQUEST_TIMEOUT.defaultValue(), config.requestTimeout());
        assertEquals(Duration.ofSeconds(10), config.requestTimeout());
        assertEquals(Path.of("./data/kafka"), config.dataDir());
        assertEquals(9092, config.embeddedPort());
        assertEquals("letta.chunks", config.topic());
        assertEquals(6, config.partitions());
        assertEquals(Duration.ofMillis(10), config.commitWindow());
        assertEquals("lz4", config.compression());
        assertTrue(config.watch());
        assertEquals(Duration.ofSeconds(1), config.pollInterval());
        assertEquals(Duration.ofHours(3), config.catchUp());
        assertEquals(List.of(), config.agentIds());
        assertEquals(List.of(), config.conversationIds());
        assertEquals(List.of(), config.attachRunIds());
        assertEquals(Duration.ofSeconds(20), config.pingInterval());
        assertEquals(Duration.ofSeconds(2), config.stopReasonGrace());
        assertEquals(Duration.ofMinutes(30), config.abandonAfter());
        assertEquals(Duration.ofMillis(250), config.backoffInitial());
        assertEquals(Duration.ofSeconds(30), config.backoffMax());
        assertEquals(4 * 1024 * 1024, config.maxFrameBytes());
        assertEquals(Duration.ofSeconds(10), config.shutdownTimeout());
        assertEquals(Duration.ofSeconds(60), config.metricsInterval());
        assertEquals(RecorderConfig.ABSENT_REPLICATION_FACTOR, config.replicationFactor());
        assertFalse(config.rebuildCheckpoints());
        assertTrue(config.embeddedBroker());
    }

    @Test
    void everyDefaultKeepsItsOwnRules() {
        for (Setting<?> setting : RecorderSettings.ALL) {
            if (setting.defaultText() != null) {
                assertNotNull(setting.defaultValue(), setting.name());
            }
        }
    }

    /** Each rule, broken once through the builder: the message names the setting and the rule. */
    @Test
    void aValueBuiltInCodeBreakingARuleNamesTheSetting() {
        assertRejected(
                b -> b.lettaBaseUrl("ftp:/nope"),
                // not quoted: a URL that does not parse may still carry a password
                "--letta-url (LETTA_BASE_URL, letta.base-url): the value given is not an http(s) URL");
        assertRejected(
                b -> b.embeddedPort(65536),
                "--embedded-port (LSR_EMBEDDED_PORT, kafka.embedded.port): '65536' is not a whole number within 0..65535");
        assertRejected(
                b -> b.embeddedPort(-1),
                "--embedded-port (LSR_EMBEDDED_PORT, kafka.embedded.port): '-1' is not a whole number within 0..65535");
        assertRejected(b -> b.topic(" "), "--topic (LSR_TOPIC, topic): ' ' is not a non-blank text");
        assertRejected(b -> b.topic(null), "--topic (LSR_TOPIC, topic): must be given");
        assertRejected(
                b -> b.partitions(0),
                "--partitions (LSR_PARTITIONS, topic.partitions): '0' is not a positive whole number");
        assertRejected(
                b -> b.compression("brotli"),
                "--compression (LSR_COMPRESSION, kafka.compression): 'brotli' is not one of none, gzip, snappy, lz4, zstd");
        assertRejected(
                b -> b.requestTimeout(Duration.ZERO),
                "--request-timeout (LSR_REQUEST_TIMEOUT, letta.request-timeout): 'PT0S' is not a positive duration of at most 1h");
        assertRejected(
                b -> b.commitWindow(Duration.ofMillis(-1)),
                "--commit-window (LSR_COMMIT_WINDOW, commit-window): 'PT-0.001S' is not a positive duration");
        assertRejected(
                b -> b.pollInterval(Duration.ZERO),
                "--poll-interval (LSR_POLL_INTERVAL, watch.poll-interval): 'PT0S' is not a positive duration of at most 1h");
        assertRejected(
                b -> b.catchUp(Duration.ofSeconds(-1)),
                "--catch-up (LSR_CATCH_UP, watch.catch-up): 'PT-1S' is not a duration of zero or more");
        assertRejected(
                b -> b.pingInterval(null), "--ping-interval (LSR_PING_INTERVAL, stream.ping-interval): must be given");
        assertRejected(
                b -> b.stopReasonGrace(Duration.ZERO),
                "--stop-reason-grace (LSR_STOP_REASON_GRACE, stream.stop-reason-grace): 'PT0S' is not a positive duration of at most 1h");
        assertRejected(
                b -> b.abandonAfter(Duration.ZERO),
                "--abandon-after (LSR_ABANDON_AFTER, stream.abandon-after): 'PT0S' is not a positive duration of at most 3h");
        assertRejected(
                b -> b.backoff(Duration.ZERO, Duration.ofSeconds(1)),
                "--backoff-initial (LSR_BACKOFF_INITIAL, stream.backoff-initial): 'PT0S' is not a positive duration of at most 1h");
        assertRejected(
                b -> b.backoff(Duration.ofSeconds(1), Duration.ZERO),
                "--backoff-max (LSR_BACKOFF_MAX, stream.backoff-max): 'PT0S' is not a positive duration of at most 1h");
        assertRejected(
                b -> b.maxFrameBytes(1023),
                "--max-frame-bytes (LSR_MAX_FRAME_BYTES, stream.max-frame-bytes): '1023' is not a whole number of at least 1024");
        assertRejected(
                b -> b.shutdownTimeout(Duration.ZERO),
                "--shutdown-timeout (LSR_SHUTDOWN_TIMEOUT, shutdown-timeout): 'PT0S' is not a positive duration of at most 1h");
        assertRejected(
                b -> b.metricsInterval(Duration.ofSeconds(-1)),
                "--metrics-interval (LSR_METRICS_INTERVAL, metrics.interval): 'PT-1S' is not a duration of zero or more");
        assertRejected(
                b -> b.replicationFactor((short) 0),
                "--replication-factor (LSR_REPLICATION_FACTOR, topic.replication-factor): '0' is not a whole number within 1..32767");
    }

    @Test
    void zeroTurnsCatchUpAndMetricsOff() {
        RecorderConfig config = RecorderConfig.builder(URL)
                .catchUp(Duration.ZERO)
                .metricsInterval(Duration.ZERO)
                .build();
        assertEquals(Duration.ZERO, config.catchUp());
        assertEquals(Duration.ZERO, config.metricsInterval());
    }

    @Test
    void aUrlWithCredentialsIsRefusedWithoutShowingThem() {
        SettingException e = assertThrows(
                SettingException.class,
                () -> RecorderConfig.builder("http://me:hunter2@letta.example.com")
                        .build());
        assertEquals(
                "--letta-url (LETTA_BASE_URL, letta.base-url): the value given is not a URL without credentials"
                        + " (use the API key)",
                e.getMessage());
    }

    @Test
    void headerValuesAreNeverShown() {
        SettingException e = assertThrows(
                SettingException.class, () -> RecorderSettings.LETTA_HEADERS.parse("X-Project-Id=p1,hunter2"));
        assertEquals(
                "--letta-header (LETTA_HEADERS, letta.headers): the value given is not NAME=VALUE pairs",
                e.getMessage());
        assertEquals(
                List.of("X-Project-Id=p1", "user_id=u"),
                RecorderSettings.LETTA_HEADERS.parse("X-Project-Id=p1, user_id=u"));
    }

    @Test
    void rulesAcrossSettingsStayInTheConfig() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> RecorderConfig.builder(URL)
                        .backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))
                        .build());
        assertEquals("backoff max must be at least backoff initial", e.getMessage());
    }

    private static void assertRejected(UnaryOperator<RecorderConfig.Builder> change, String message) {
        SettingException e = assertThrows(
                SettingException.class,
                () -> change.apply(RecorderConfig.builder(URL)).build());
        assertEquals(message, e.getMessage());
    }
}
