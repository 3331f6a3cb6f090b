package dev.lsr.consumer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.consumer.testing.Cli;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kernel.http.WriteDeadline;
import dev.lsr.settings.BrokerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsumerCliTest {

    private final Cli cli = new Cli(Clock.systemUTC());

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        Cli.Result result = cli.runExactly("--help");
        assertEquals(0, result.exitCode());
        for (String command :
                List.of("runs", "show", "rebuild", "export", "summaries", "stats", "follow", "analytics", "serve")) {
            assertTrue(result.out().contains("  " + command + " "), command + " missing in:\n" + result.out());
        }
        assertTrue(result.out().contains("6   done, but the log had problems"), result.out());
        assertTrue(
                result.out().contains("7   the run, conversation or topic asked for is not in the log"), result.out());
        assertFalse(
                result.out().contains("3   "), "3 is the recorder's 'fenced', not the consumer's:\n" + result.out());
    }

    /** The recorder's setting: same flag, default and doc, as both start the same broker on the same data. */
    @Test
    void theEmbeddedPortIsTheRecordersSetting() {
        String help = cli.runExactly("--help").out().replaceAll("\\s+", " "); // unwrapped
        assertTrue(help.contains("--embedded-port=PORT"), help);
        assertTrue(help.contains(BrokerSettings.EMBEDDED_PORT_DOC), help);
        assertTrue(help.contains("(default: " + BrokerSettings.EMBEDDED_PORT.defaultText() + ")"), help);
        assertTrue(help.contains("(default: " + BrokerSettings.DATA_DIR.defaultText() + ")"), help);
    }

    @Test
    void aBadEmbeddedPortIsAUsageErrorNamingTheSetting() {
        Cli.Result result = cli.runExactly("runs", "--embedded-port", "70000");
        assertEquals(ExitCodes.USAGE, result.exitCode());
        assertEquals(1, result.err().lines().count(), result.err());
        assertTrue(
                result.err()
                        .contains("--embedded-port (LSR_EMBEDDED_PORT, kafka.embedded.port): '70000' is not a whole"
                                + " number within 0..65535"),
                result.err());
    }

    @Test
    void durationsUseTheOneGrammar() {
        Cli.Result result = cli.runExactly("runs", "--timeout", "soon");
        assertEquals(ExitCodes.USAGE, result.exitCode());
        assertTrue(
                result.err().contains("not a duration: 'soon' (use e.g. 250ms, 10s, 30m, 3h, 1d, PT2S or 0)"),
                result.err());
    }

    @Test
    void aBadTimeIsAUsageErrorNotAnInternalOne() {
        for (String command : new String[] {"summaries", "stats", "runs"}) {
            Cli.Result result = cli.runExactly(command, "--since", "yesterday", "--input", "/no/such/file.jsonl");
            assertEquals(ExitCodes.USAGE, result.exitCode(), command + ": " + result.err());
            assertTrue(result.err().contains("not a time: 'yesterday'"), result.err());
            assertTrue(!result.err().contains("internal error"), result.err());
        }
    }

    @Test
    void aNegativeToolReturnLimitIsAUsageError(@TempDir Path dir) throws Exception {
        Path input = Files.write(dir.resolve("run.jsonl"), LettaFixtures.chunkLines("02-tool-call-two-steps"));
        Cli.Result result = cli.runExactly(
                "show",
                "run-780c4b16-a510-49fa-a2b2-bbd1c38dbe31",
                "--max-tool-return-chars",
                "-1",
                "--input",
                input.toString());
        assertEquals(ExitCodes.USAGE, result.exitCode(), result.err());
        assertEquals(1, result.err().lines().count(), result.err());
        assertTrue(
                result.err().contains("--max-tool-return-chars': '-1' is not a whole number of 0 or more"),
                result.err());
    }

    /** Counts that must be at least one are refused at parse, before any broker is asked. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "analytics,--max-poll-records,0",
        "follow,--max-runs,0",
        "follow,--max-runs,-2"
    })
    void aCountBelowOneIsAUsageError(String command, String option, String value) {
        Cli.Result result = cli.runExactly(command, option, value);
        assertEquals(ExitCodes.USAGE, result.exitCode(), result.err());
        assertTrue(
                result.err().contains(option + "': '" + value + "' is not a whole number of 1 or more"), result.err());
    }

    @Test
    void aBadCommandLineIsOneLineAndExitCodeTwo() {
        Cli.Result result = cli.runExactly("rebuild", "--format", "yaml", "run-1");
        assertEquals(ExitCodes.USAGE, result.exitCode());
        assertEquals(1, result.err().lines().count(), result.err());
        assertTrue(result.err().startsWith("consumer: "), result.err());
        assertTrue(result.err().contains("expected letta-code or transcript"), result.err());
    }

    @Test
    void rebuildNeedsExactlyOneSource() {
        Cli.Result result = cli.runExactly("rebuild", "run-1", "--conversation", "conv-1");
        assertEquals(ExitCodes.USAGE, result.exitCode());
        assertTrue(result.err().contains("give exactly one of RUN, --conversation or --input"), result.err());
    }

    @Test
    void aMissingInputFileIsExitCodeFour() {
        Cli.Result result = cli.runExactly("rebuild", "--input", "/no/such/file.jsonl");
        assertEquals(ExitCodes.BAD_INPUT, result.exitCode());
        assertEquals("consumer: cannot read /no/such/file.jsonl", result.err().strip());
    }

    /**
     * A chunk file that can be read but holds no readable chunk is like a run whose every record is unreadable:
     * its lines are reported and the exit is 6 (problems), not 7, which is for a run, conversation or topic asked
     * for that is not in the log.
     */
    @Test
    void rebuildOfAFileWithoutAReadableChunkReportsItsLinesAndExitsSix(@TempDir Path dir) throws Exception {
        Path input = Files.write(dir.resolve("garbage.jsonl"), List.of("not json", "{\"message_type\":"));
        for (String format : List.of("letta-code", "transcript")) {
            Cli.Result result = cli.runExactly("rebuild", "--input", input.toString(), "--format", format);
            assertEquals(ExitCodes.PROBLEMS, result.exitCode(), format + ": " + result);
            assertTrue(result.err().contains("consumer: warning: "), result.toString());
            assertFalse(result.err().contains("is not in the log"), result.toString());
        }
    }

    @Test
    void serveWithAnUnreadableKeyFileIsAUsageErrorThatNamesTheFileOnly() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("replay-key");
        java.nio.file.Path unreadable = java.nio.file.Files.createDirectory(dir.resolve("a-directory"));
        Cli.Result notAFile = cli.runExactly("serve", "--api-key-file", unreadable.toString());
        assertEquals(ExitCodes.USAGE, notAFile.exitCode());
        assertEquals(
                "consumer: cannot read --api-key-file " + unreadable + " (IOException)",
                notAFile.err().strip());

        java.nio.file.Path empty = java.nio.file.Files.createTempFile("replay-key", ".txt");
        try {
            Cli.Result blank = cli.runExactly("serve", "--api-key-file", empty.toString());
            assertEquals(ExitCodes.USAGE, blank.exitCode());
            assertTrue(blank.err().contains("is empty"), blank.err());
        } finally {
            java.nio.file.Files.delete(empty);
            java.nio.file.Files.delete(unreadable);
            java.nio.file.Files.delete(dir);
        }
    }

    /** {@code --allowed-host} takes a name, as {@code Host} carries it without its port: anything else is a usage error. */
    @Test
    void serveWithAnAllowedHostThatIsNoHostNameIsAUsageError() {
        for (String name : List.of("replay.example:8284", "https://replay.example", "*.example", "")) {
            Cli.Result result = cli.runExactly("serve", "--allowed-host", name);
            assertEquals(ExitCodes.USAGE, result.exitCode(), result.err());
            assertEquals(
                    "consumer: --allowed-host takes a host name without a port or scheme, such as replay.example.com"
                            + " (got '" + name + "')",
                    result.err().strip());
        }
    }

    /** {@code --write-timeout} of zero would end every response at its first write: a usage error naming it. */
    @Test
    void serveWithAWriteTimeoutThatIsNotPositiveIsAUsageError() {
        Cli.Result result = cli.runExactly("serve", "--write-timeout", "0s");
        assertEquals(ExitCodes.USAGE, result.exitCode(), result.err());
        assertEquals(
                "consumer: --write-timeout must be positive and at most PT24H (got PT0S)",
                result.err().strip());
    }

    /**
     * {@code --write-timeout} of centuries was taken, and overflowed the watchdog of every response's writes, which
     * died (the writes watched by nothing): a usage error naming it.
     */
    @Test
    void serveWithAWriteTimeoutAboveADayIsAUsageError() {
        Cli.Result result = cli.runExactly("serve", "--write-timeout", "200000d");
        assertEquals(ExitCodes.USAGE, result.exitCode(), result.err());
        assertEquals(
                "consumer: --write-timeout must be positive and at most PT24H (got PT4800000H)",
                result.err().strip());
    }

    /** The option's default, text for its help, is the servers' own default. */
    @Test
    void serveDefaultsToTheServersWriteTimeout() {
        assertEquals(
                WriteDeadline.DEFAULT_LIMIT,
                new ConsumerCli.DurationConverter().convert(ServeCommand.DEFAULT_WRITE_TIMEOUT));
    }

    /** {@code --max-streams} below 1 would refuse every stream: a usage error before any connection. */
    @Test
    void serveWithMaxStreamsBelowOneIsAUsageError() {
        for (String count : List.of("0", "-5")) {
            Cli.Result result = cli.runExactly("serve", "--max-streams", count);
            assertEquals(ExitCodes.USAGE, result.exitCode(), result.err());
            assertEquals(
                    "consumer: --max-streams must be at least 1 (got " + count + ")",
                    result.err().strip());
        }
    }

    @Test
    void serveWithAConnectionLimitThatLeavesTheStreamsNoRoomIsAUsageError() {
        String before = System.getProperty("jdk.httpserver.maxConnections");
        System.setProperty("jdk.httpserver.maxConnections", "100"); // no HTTP server starts: the JDK never reads it
        try {
            Cli.Result result = cli.runExactly("serve", "--max-streams", "1000");
            assertEquals(ExitCodes.USAGE, result.exitCode(), result.err());
            assertTrue(
                    result.err()
                            .strip()
                            .startsWith("consumer: jdk.httpserver.maxConnections=100 leaves no room above"
                                    + " 1000 streams"),
                    result.err());
        } finally {
            if (before == null) {
                System.clearProperty("jdk.httpserver.maxConnections");
            } else {
                System.setProperty("jdk.httpserver.maxConnections", before);
            }
        }
    }

    /**
     * The key itself given where its file belongs (the natural slip) must not be echoed to the terminal or a log
     * collector: a value that names no file is not shown. Each key option says its own name.
     */
    @Test
    void aKeyGivenInsteadOfItsFileIsNeverEchoed() {
        String key = "sk-let-NeverEcho0123456789";
        for (String option : List.of("--api-key-file", "--upstream-api-key-file")) {
            Cli.Result result = option.equals("--api-key-file")
                    ? cli.runExactly("serve", option, key)
                    : cli.runExactly("serve", "--upstream", "http://127.0.0.1:1", option, key);
            assertEquals(ExitCodes.USAGE, result.exitCode(), result.err());
            assertFalse(result.err().contains(key), result.err());
            assertFalse(result.out().contains(key), result.out());
            assertEquals(
                    "consumer: " + option + " names no file (the value is not shown: it may be the key itself)",
                    result.err().strip());
        }
    }
}
