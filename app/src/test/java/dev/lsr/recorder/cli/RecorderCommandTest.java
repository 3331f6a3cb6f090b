package dev.lsr.recorder.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.recorder.RecorderConfig;
import dev.lsr.recorder.RecorderDaemon;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RecorderCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final BiFunction<RecorderConfig, MeterRegistry, RecorderDaemon.Builder> noDaemon = (config, metrics) -> {
        throw new AssertionError("no daemon should start");
    };

    @Test
    void helpListsEverySettingAndExitsZero() {
        assertEquals(0, run(noDaemon, "--help"));
        String help = out.toString(UTF_8);
        for (ConfigKey key : ConfigKey.values()) {
            assertTrue(help.contains(key.flag()), key.flag());
            assertTrue(help.contains(key.env()), key.env());
        }
        assertTrue(help.contains("--kafka-property"));
        assertTrue(help.contains("--no-watch"));
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertEquals(2, run(noDaemon, "--nope"));
        assertTrue(err.toString(UTF_8).startsWith("recorder: Unknown option: '--nope'"), err.toString(UTF_8));
    }

    /**
     * A mistyped option never repeats what was given with it: {@code --api-key=KEY} is the natural guess where only
     * {@code --api-key-file} exists, and picocli quoted it whole; an unmatched argument is the value of a mistyped
     * option.
     */
    @Test
    void anUnknownOptionsValueIsNotShown() {
        assertEquals(2, run(noDaemon, "--api-key=sk-let-s3cret"));
        assertEquals(2, run(noDaemon, "--api-key", "sk-let-s3cret"));
        assertEquals(2, run(noDaemon, "--kafka-properties", "sasl.jaas.config=password=\"s3cret\""));
        String printed = err.toString(UTF_8);
        assertFalse(printed.contains("s3cret"), printed);
        assertTrue(printed.contains("'--api-key=(not shown)'"), printed);
        assertTrue(printed.contains("'--api-key'"), printed);
    }

    @Test
    void aBadValueIsAUsageErrorInOneLine() {
        assertEquals(2, run(noDaemon, "--commit-window", "soon"));
        assertEquals(1, err.toString(UTF_8).lines().count());
    }

    @Test
    void flagsReachTheConfig() {
        CommandLine.ParseResult parsed = new CommandLine(RecorderCommand.spec())
                .parseArgs(
                        "--letta-url",
                        "http://127.0.0.1:1",
                        "--agent-id",
                        "a1",
                        "--agent-id",
                        "a2",
                        "--no-watch",
                        "--kafka-property",
                        "linger.ms=5",
                        "--bootstrap-servers",
                        "127.0.0.1:1",
                        "--abandon-after",
                        "5m");
        RecorderConfig config = RecorderCommand.config(parsed, Map.of("LSR_TOPIC", "env.topic"));
        assertEquals("http://127.0.0.1:1", config.lettaBaseUrl());
        assertEquals(List.of("a1", "a2"), config.agentIds());
        assertFalse(config.watch());
        assertTrue(config.stopWhenIdle(), "--no-watch records what it has, then stops");
        assertEquals(Map.of("linger.ms", "5"), config.kafkaProperties());
        assertEquals("127.0.0.1:1", config.bootstrapServers());
        assertEquals(Duration.ofMinutes(5), config.abandonAfter());
        assertEquals("env.topic", config.topic());
    }

    @Test
    void durabilityAndRebuildFlagsReachTheConfig() {
        RecorderConfig defaults = RecorderCommand.config(new CommandLine(RecorderCommand.spec()).parseArgs(), Map.of());
        assertEquals(-1, defaults.replicationFactor(), "absent: the broker's default");
        assertFalse(defaults.rebuildCheckpoints());

        CommandLine.ParseResult parsed = new CommandLine(RecorderCommand.spec())
                .parseArgs("--rebuild-checkpoints", "--replication-factor", "3", "--letta-url", "http://127.0.0.1:1");
        RecorderConfig config = RecorderCommand.config(parsed, Map.of());
        assertTrue(config.rebuildCheckpoints(), "the flag alone turns it on");
        assertEquals(3, config.replicationFactor());
        assertEquals("http://127.0.0.1:1", config.lettaBaseUrl());
        assertEquals(2, run(noDaemon, "--replication-factor", "0"));
    }

    private int run(BiFunction<RecorderConfig, MeterRegistry, RecorderDaemon.Builder> daemons, String... args) {
        return RecorderCommand.mainNoExit(
                args, Map.of(), new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8), daemons);
    }

    /**
     * The metrics port takes the rule {@code consumer serve} follows: a connection limit the user set with fewer than
     * 16 connections is a usage error at start, before Kafka or the daemon. Before, it was taken, 1 too.
     */
    @Test
    void aConnectionLimitWithTooFewConnectionsIsAUsageError() {
        String before = System.getProperty("jdk.httpserver.maxConnections");
        System.setProperty("jdk.httpserver.maxConnections", "1"); // no HTTP server starts: the JDK never reads it
        try {
            assertEquals(2, run(noDaemon, "--letta-url", "http://127.0.0.1:1", "--bootstrap-servers", "127.0.0.1:1"));
            String printed = err.toString(UTF_8);
            assertTrue(
                    printed.startsWith("recorder: jdk.httpserver.maxConnections=1 leaves too few connections"),
                    printed);
            assertTrue(printed.strip().endsWith("(--http-port)"), printed);
        } finally {
            if (before == null) {
                System.clearProperty("jdk.httpserver.maxConnections");
            } else {
                System.setProperty("jdk.httpserver.maxConnections", before);
            }
        }
    }

    /** A comma in a header value would make two headers of one (and show the second's value): refused, not quoted. */
    @Test
    void aLettaHeaderValueWithACommaIsRefusedWithoutQuotingIt() {
        CommandLine.ParseResult parsed = new CommandLine(RecorderCommand.spec())
                .parseArgs("--letta-header", "X-BARE-PASSWORD=p,ss=word", "--letta-header", "X-Project-Id=p1");

        ConfigException refused = assertThrows(ConfigException.class, () -> RecorderCommand.config(parsed, Map.of()));

        assertTrue(refused.getMessage().contains("holds a comma"), refused.getMessage());
        assertFalse(refused.getMessage().contains("word"), refused.getMessage());
        assertFalse(refused.getMessage().contains("PASSWORD"), refused.getMessage());
    }

    /**
     * A deployment that lost its Letta URL (an unset variable) must not run the demo on its real Kafka: the demo
     * would fence the real recorder and continue its active runs against letta-sim, which knows none of them.
     */
    @Test
    void withNoLettaUrlButAKafkaTheDemoRunsOnlyWhenAskedFor() {
        int exit = assertTimeoutPreemptively(
                Duration.ofSeconds(30), () -> run(noDaemon, "--bootstrap-servers", "127.0.0.1:1", "--topic", "prod"));

        assertEquals(2, exit, err.toString(UTF_8));
        String message = err.toString(UTF_8);
        assertTrue(message.contains("no Letta URL"), message);
        assertTrue(message.contains("--demo"), message);
        assertFalse(message.contains("demo: no Letta URL given"), "the demo did not start: " + message);
    }

    @Test
    void theDemoWithALettaUrlIsRefused() {
        assertEquals(2, run(noDaemon, "--demo", "--letta-url", "http://127.0.0.1:1"));
        assertTrue(err.toString(UTF_8).contains("--demo"), err.toString(UTF_8));
    }

    /**
     * A pass-through property the recorder sets itself (it would weaken exactly-once) or a timeout that is not a
     * number is a usage error (exit 2) found while parsing, before Letta is asked or a broker started.
     */
    @Test
    void aRefusedKafkaPropertyIsAUsageErrorBeforeAnythingStarts() {
        for (String property : List.of("acks=0", "producer.enable.idempotence=false", "transaction.timeout.ms=soon")) {
            err.reset();
            assertEquals(
                    2,
                    run(noDaemon, "--letta-url", "http://127.0.0.1:1", "--kafka-property", property),
                    property + ": " + err.toString(UTF_8));
            assertTrue(err.toString(UTF_8).contains(property.substring(0, property.indexOf('='))), err.toString(UTF_8));
        }
    }

    /**
     * The same on the embedded broker: a data directory that holds a log the demo did not write (a recorder ran on
     * it) is not the demo's to continue; an empty one, or one the demo wrote, is.
     */
    @Test
    void withNoLettaUrlTheDemoLeavesAnEmbeddedLogItDidNotWriteAlone(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path kafka = Files.createDirectories(dir.resolve("kafka"));
        Files.writeString(kafka.resolve("meta.properties"), "node.id=1\n");

        int exit = assertTimeoutPreemptively(
                Duration.ofSeconds(30), () -> run(noDaemon, "--data-dir", kafka.toString(), "--embedded-port", "0"));

        assertEquals(2, exit, err.toString(UTF_8));
        assertTrue(err.toString(UTF_8).contains("--demo"), err.toString(UTF_8));
        assertTrue(DemoLog.mayRecordInto(dir.resolve("absent")), "no log yet");
        assertTrue(DemoLog.mayRecordInto(Files.createDirectories(dir.resolve("empty"))), "an empty directory");
        DemoLog.claim(kafka);
        assertTrue(DemoLog.mayRecordInto(kafka), "the demo's own log");
        DemoLog.release(kafka);
        assertFalse(DemoLog.mayRecordInto(kafka), "a recorder wrote into it since");
    }
}
