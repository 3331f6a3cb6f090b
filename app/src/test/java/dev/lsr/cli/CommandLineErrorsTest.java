package dev.lsr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class CommandLineErrorsTest {

    @Command(name = "serve")
    static final class Serve {
        @Option(names = "--upstream")
        URI upstream;

        @Option(names = "--port")
        int port;

        @Option(names = "--api-key-file")
        java.nio.file.Path keyFile;
    }

    private static String error(String... args) {
        CommandLine.ParameterException e =
                assertThrows(CommandLine.ParameterException.class, () -> new CommandLine(new Serve()).parseArgs(args));
        return CommandLineErrors.describe(e);
    }

    @Test
    void aUrlThatDoesNotConvertLosesItsUserPart() {
        String message = error("--upstream", "http://me:pw d@letta.example.com");
        assertFalse(message.contains("pw d"), message);
        assertTrue(message.contains("--upstream"), message);
    }

    @Test
    void aPasswordWithAnAtSignLosesAllOfItself() {
        String message = error("--upstream", "https://bob:p@ss^w0rd@letta.example/");
        assertFalse(message.contains("w0rd"), message);
        assertFalse(message.contains("ss^"), message);
    }

    @Test
    void aValueOfAnOptionThatDoesNotLookSecretIsShown() {
        assertTrue(error("--port", "abc").contains("'abc'"));
    }

    @Test
    void unknownOptionsKeepTheirNamesOnly() {
        assertEquals(
                "Unknown option: '--api-key=(not shown)'",
                error("--api-key=sk-s3cret").replaceAll("\\s+$", ""));
        String unmatched = error("--api-key", "sk-s3cret");
        assertFalse(unmatched.contains("s3cret"), unmatched);
    }
}
