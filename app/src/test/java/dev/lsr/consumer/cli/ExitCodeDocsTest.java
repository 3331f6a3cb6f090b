package dev.lsr.consumer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.settings.DocumentedSettings;
import dev.lsr.settings.ExitCode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The consumer's exit codes are listed twice in the docs (docs/consumer.md, docs/operations.md) and once in its
 * help ({@link ExitCode}): each row says what the help says, in the same words.
 */
class ExitCodeDocsTest {

    @ParameterizedTest
    @EnumSource(
            value = ExitCode.class,
            names = {"PROBLEMS", "NOT_FOUND"})
    void bothTablesWordTheCodeAsTheHelpDoes(ExitCode code) {
        String consumer = meaning(DocumentedSettings.read("docs/consumer.md"), "| " + code.code() + " | ");
        String operations = meaning(
                DocumentedSettings.read("docs/operations.md"), "| " + code.code() + " | `" + code.name() + "` | ");
        assertTrue(consumer.startsWith(code.meaning()), "docs/consumer.md: " + consumer);
        assertTrue(operations.startsWith(code.meaning()), "docs/operations.md: " + operations);
        assertEquals(operations, consumer);
    }

    /** The meaning cell of the one row starting {@code prefix} (the tools column of operations.md cut off). */
    private static String meaning(String markdown, String prefix) {
        List<String> rows = markdown.lines().filter(l -> l.startsWith(prefix)).toList();
        assertEquals(1, rows.size(), "rows starting " + prefix + ": " + rows);
        String cell = rows.getFirst().substring(prefix.length());
        return cell.substring(0, cell.indexOf(" |")).strip();
    }
}
