package dev.lsr.settings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Checks that a Markdown document lists settings and exit codes: the docs are checked against the
 * declarations, so a new setting cannot ship undocumented.
 */
public final class DocumentedSettings {

    private DocumentedSettings() {
    }

    /**
     * The flags, environment variables and defaults of {@code settings} that {@code markdown} does not
     * show: each must appear in backticks in a table row that names the flag.
     */
    public static List<String> missing(String markdown, Collection<Setting<?>> settings) {
        List<String> missing = new ArrayList<>();
        for (Setting<?> setting : settings) {
            List<String> rows = rowsNaming(markdown, setting.flag() == null ? setting.env() : setting.flag());
            if (rows.isEmpty()) {
                missing.add(setting.describe() + ": no table row names " + code(setting.flag()));
                continue;
            }
            if (setting.env() != null && rows.stream().noneMatch(row -> row.contains(code(setting.env())))) {
                missing.add(setting.describe() + ": its row does not name " + code(setting.env()));
            }
            String defaultText = setting.defaultText();
            if (defaultText != null && !defaultText.isEmpty()
                    && rows.stream().noneMatch(row -> row.contains(code(defaultText)))) {
                missing.add(setting.describe() + ": its row does not give the default " + code(defaultText));
            }
        }
        return missing;
    }

    /** The exit codes that have no row {@code | code | NAME | ...} in {@code markdown}. */
    public static List<String> missingExitCodes(String markdown) {
        List<String> missing = new ArrayList<>();
        for (ExitCode exitCode : ExitCode.values()) {
            String row = "| " + exitCode.code() + " | `" + exitCode.name() + "` |";
            if (markdown.lines().noneMatch(line -> line.startsWith(row))) {
                missing.add(exitCode + " (" + exitCode.code() + "): no row starting " + row);
            }
        }
        return missing;
    }

    private static List<String> rowsNaming(String markdown, String name) {
        String quoted = code(name);
        return markdown.lines().filter(line -> line.startsWith("|"))
                .filter(line -> line.contains(quoted) || line.contains("`" + name + " "))
                .toList();
    }

    private static String code(String text) {
        return "`" + text + "`";
    }
}
