package dev.lsr.consumer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.settings.DocumentedSettings;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;

/** docs/operations.md lists every global option of the consumer with its default: checked against the command line. */
class OperationsDocTest {

    @Test
    void everyGlobalOptionHasARowWithItsDefault() {
        Map<String, String> options = new LinkedHashMap<>();
        for (OptionSpec option :
                ConsumerCli.commandLine(Clock.systemUTC()).getCommandSpec().options()) {
            if (!option.usageHelp() && !option.versionHelp()) {
                options.put(option.longestName(), option.defaultValue());
            }
        }
        assertTrue(options.containsKey("--embedded-port"), options.toString());
        String section =
                DocumentedSettings.section(DocumentedSettings.read("docs/operations.md"), "### The consumer's options");
        assertEquals(
                List.of(),
                DocumentedSettings.missingOptions(section, options),
                "consumer options missing from docs/operations.md");
    }
}
