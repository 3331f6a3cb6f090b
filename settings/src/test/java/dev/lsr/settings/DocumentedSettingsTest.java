package dev.lsr.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
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
        assertEquals(List.of("--embedded-port (LSR_EMBEDDED_PORT, kafka.embedded.port): no table row names `--embedded-port`"),
                DocumentedSettings.missing("--embedded-port in prose only", List.of(PORT)));
        assertEquals(List.of("--embedded-port (LSR_EMBEDDED_PORT, kafka.embedded.port): its row does not name `LSR_EMBEDDED_PORT`",
                "--embedded-port (LSR_EMBEDDED_PORT, kafka.embedded.port): its row does not give the default `9092`"),
                DocumentedSettings.missing("| `--embedded-port` | | |", List.of(PORT)));
    }

    @Test
    void exitCodesNeedARowEach() {
        StringBuilder doc = new StringBuilder();
        for (ExitCode code : ExitCode.values()) {
            if (code != ExitCode.NOT_FOUND) {
                doc.append("| ").append(code.code()).append(" | `").append(code.name()).append("` | ... |\n");
            }
        }
        assertEquals(List.of("NOT_FOUND (7): no row starting | 7 | `NOT_FOUND` |"),
                DocumentedSettings.missingExitCodes(doc.toString()));
    }
}
