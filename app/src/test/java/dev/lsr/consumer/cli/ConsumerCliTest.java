package dev.lsr.consumer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.consumer.testing.Cli;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsumerCliTest {

    private final Cli cli = new Cli(Clock.systemUTC());

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        Cli.Result result = cli.runExactly("--help");
        assertEquals(0, result.exitCode());
        for (String command : List.of("runs", "show", "rebuild", "export", "summaries", "stats", "follow", "analytics")) {
            assertTrue(result.out().contains("  " + command + " "), command + " missing in:\n" + result.out());
        }
        assertTrue(result.out().contains("6   done, but the log had problems"), result.out());
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
}
