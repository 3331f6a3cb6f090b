package dev.lsr.recorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.recorder.RecorderSettings;
import dev.lsr.settings.DocumentedSettings;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/operations.md documents every setting of the recorder and every exit code: checked, not hoped. */
class OperationsDocTest {

    private static final String DOC = DocumentedSettings.read("docs/operations.md");
    private static final String CONFIGURATION = DocumentedSettings.section(DOC, "### Configuration");
    private static final String EXIT_CODES = DocumentedSettings.section(DOC, "## Lifecycle, signals, exit codes");

    @Test
    void everyDeclaredSettingHasARowWithItsEnvironmentVariableAndDefault() {
        assertEquals(
                List.of(),
                DocumentedSettings.missing(CONFIGURATION, RecorderSettings.ALL),
                "settings missing from docs/operations.md");
    }

    /** ConfigKey (the CLI's list) and RecorderSettings.ALL (the declarations) are the same settings. */
    @Test
    void theCommandLineOffersEveryDeclaredSetting() {
        assertEquals(
                RecorderSettings.ALL,
                Arrays.stream(ConfigKey.values()).map(ConfigKey::setting).toList());
    }

    @Test
    void theOptionsThatAreNoSettingHaveARowToo() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--kafka-property", null);
        options.put("--no-watch", null);
        options.put("--demo", null);
        assertEquals(
                List.of(),
                DocumentedSettings.missingOptions(CONFIGURATION, options),
                "options missing from docs/operations.md");
    }

    @Test
    void everyExitCodeHasARow() {
        assertEquals(
                List.of(),
                DocumentedSettings.missingExitCodes(EXIT_CODES),
                "exit codes missing from docs/operations.md");
    }
}
