package dev.lsr.consumer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.settings.DocumentedSettings;
import dev.lsr.settings.ExitCode;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exit codes are listed in the help ({@link ExitCode}) and in two tables (docs/operations.md, every tool's;
 * docs/consumer.md, the consumer's): one wording. Each row starts with the help's words, then at most adds details
 * after {@code "; "}; the consumer's table repeats the rows of operations.md word for word.
 */
class ExitCodeDocsTest {

    static Stream<ExitCode> consumerCodes() {
        return Arrays.stream(ExitCode.values()).filter(code -> code.usedBy(ExitCode.Tool.CONSUMER));
    }

    @ParameterizedTest
    @MethodSource("consumerCodes")
    void theConsumersTableRepeatsTheRowOfTheOneTable(ExitCode code) {
        String consumer = meaning(DocumentedSettings.read("docs/consumer.md"), "| " + code.code() + " | ");
        assertEquals(operationsMeaning(code), consumer, "docs/consumer.md, code " + code.code());
    }

    @ParameterizedTest
    @EnumSource(ExitCode.class)
    void theOneTableWordsEachCodeAsTheHelpDoes(ExitCode code) {
        String operations = operationsMeaning(code);
        assertTrue(
                operations.equals(code.meaning()) || operations.startsWith(code.meaning() + "; "),
                "docs/operations.md, code " + code.code() + ":\n  " + operations + "\nshould start with the help's:\n  "
                        + code.meaning());
    }

    private static String operationsMeaning(ExitCode code) {
        return meaning(
                DocumentedSettings.read("docs/operations.md"), "| " + code.code() + " | `" + code.name() + "` | ");
    }

    /** The meaning cell of the one row starting {@code prefix} (the tools column of operations.md cut off). */
    private static String meaning(String markdown, String prefix) {
        List<String> rows = markdown.lines().filter(l -> l.startsWith(prefix)).toList();
        assertEquals(1, rows.size(), "rows starting " + prefix + ": " + rows);
        String cell = rows.getFirst().substring(prefix.length());
        return cell.substring(0, cell.indexOf(" |")).strip();
    }
}
