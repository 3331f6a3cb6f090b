package dev.lsr.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentedSettingsTest {

    private static final Setting<Integer> PORT = BrokerSettings.EMBEDDED_PORT;

    @Test
    void aDocumentedSettingIsNotMissing() {
        String doc = "| flag | env | default |\n| `--embedded-port` | `LSR_EMBEDDED_PORT` | `9092` |\n";
        assertEquals(List.of(), DocumentedSettings.missing(doc, List.of(PORT)));
    }

    @Test
    void namesWhatIsMissing() {
        assertEquals(
                List.of(
                        "--embedded-port (LSR_EMBEDDED_PORT, kafka.embedded.port): no table row names `--embedded-port`"),
                DocumentedSettings.missing("--embedded-port in prose only", List.of(PORT)));
        assertEquals(
                List.of(
                        "--embedded-port (LSR_EMBEDDED_PORT, kafka.embedded.port): its row does not show `LSR_EMBEDDED_PORT`",
                        "--embedded-port (LSR_EMBEDDED_PORT, kafka.embedded.port): its row does not show `9092`"),
                DocumentedSettings.missing("| `--embedded-port` | | |", List.of(PORT)));
    }

    @Test
    void optionsNeedARowShowingTheirDefault() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--timeout", "10s");
        options.put("--kafka-property", null);
        options.put("--progress", null);
        String doc = "| `--timeout` | `10s` |\n| `--kafka-property KEY=VALUE` | |\n";
        assertEquals(
                List.of("--progress: no table row names `--progress`"),
                DocumentedSettings.missingOptions(doc, options));
        assertEquals(
                List.of("--timeout: its row does not show `10s`"),
                DocumentedSettings.missingOptions("| `--timeout` | 10s |", Map.of("--timeout", "10s")));
    }

    @Test
    void aSectionEndsAtTheNextHeadingOfItsLevelOrAbove() {
        String doc = "# A\n## B\nb\n### C\nc\n## D\nd\n";
        assertEquals("## B\nb\n### C\nc", DocumentedSettings.section(doc, "## B"));
        assertEquals("### C\nc", DocumentedSettings.section(doc, "### C"));
        assertEquals("## D\nd", DocumentedSettings.section(doc, "## D"));
        assertThrows(IllegalArgumentException.class, () -> DocumentedSettings.section(doc, "## E"));
    }

    @Test
    void readsAFileFromTheWorkingDirectoryOrAbove() {
        assertTrue(DocumentedSettings.read("docs/operations.md").contains("# Operating the recorder"));
        assertThrows(IllegalStateException.class, () -> DocumentedSettings.read("docs/no-such-file.md"));
    }

    @Test
    void exitCodesNeedARowEach() {
        StringBuilder doc = new StringBuilder();
        for (ExitCode code : ExitCode.values()) {
            if (code != ExitCode.NOT_FOUND) {
                doc.append("| ")
                        .append(code.code())
                        .append(" | `")
                        .append(code.name())
                        .append("` | ... |\n");
            }
        }
        assertEquals(
                List.of("NOT_FOUND (7): no row starting | 7 | `NOT_FOUND` |"),
                DocumentedSettings.missingExitCodes(doc.toString()));
    }
}
