package dev.lsr.settings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that a Markdown document lists settings and exit codes: the docs are checked against the
 * declarations, so a new setting cannot ship undocumented. Each finding names what is missing.
 */
public final class DocumentedSettings {

    private DocumentedSettings() {}

    /**
     * The settings whose flag has no table row in {@code markdown}, or whose row does not show (in
     * backticks) its environment variable or its default.
     */
    public static List<String> missing(String markdown, Collection<Setting<?>> settings) {
        List<String> missing = new ArrayList<>();
        for (Setting<?> setting : settings) {
            List<String> mustShow = new ArrayList<>();
            if (setting.env() != null) {
                mustShow.add(setting.env());
            }
            if (setting.defaultText() != null && !setting.defaultText().isEmpty()) {
                mustShow.add(setting.defaultText());
            }
            missing.addAll(missingRow(
                    markdown, setting.flag() == null ? setting.env() : setting.flag(), mustShow, setting.describe()));
        }
        return missing;
    }

    /** The options ({@code flag -> default}, null for none) with no table row showing the flag and its default. */
    public static List<String> missingOptions(String markdown, Map<String, String> defaults) {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> option : new LinkedHashMap<>(defaults).entrySet()) {
            String defaultText = option.getValue();
            missing.addAll(missingRow(
                    markdown,
                    option.getKey(),
                    defaultText == null || defaultText.isEmpty() ? List.of() : List.of(defaultText),
                    option.getKey()));
        }
        return missing;
    }

    /** The exit codes with no row {@code | code | `NAME` | ...} in {@code markdown}. */
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

    /**
     * Reads {@code relative} (e.g. {@code docs/operations.md}) from the working directory or the
     * nearest folder above it that has it: a module's tests run in the module's folder.
     */
    public static String read(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve(relative);
            if (Files.isRegularFile(file)) {
                try {
                    return Files.readString(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException(
                relative + " not found in " + Path.of("").toAbsolutePath() + " or above");
    }

    /**
     * The part of {@code markdown} under {@code heading} (a whole heading line, e.g. {@code ### Options})
     * up to the next heading of the same or a higher level.
     */
    public static String section(String markdown, String heading) {
        List<String> lines = markdown.lines().toList();
        int start = lines.indexOf(heading);
        if (start < 0) {
            throw new IllegalArgumentException("no heading '" + heading + "'");
        }
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        int end = start + 1;
        while (end < lines.size() && !isHeadingUpTo(lines.get(end), level.length() - 1)) {
            end++;
        }
        return String.join("\n", lines.subList(start, end));
    }

    private static boolean isHeadingUpTo(String line, int level) {
        int hashes = 0;
        while (hashes < line.length() && line.charAt(hashes) == '#') {
            hashes++;
        }
        return hashes > 0 && hashes <= level && line.length() > hashes && line.charAt(hashes) == ' ';
    }

    private static List<String> missingRow(String markdown, String name, List<String> mustShow, String described) {
        List<String> rows = markdown.lines()
                .filter(line -> line.startsWith("|"))
                .filter(line -> line.contains(code(name)) || line.contains("`" + name + " "))
                .toList();
        if (rows.isEmpty()) {
            return List.of(described + ": no table row names " + code(name));
        }
        List<String> missing = new ArrayList<>();
        for (String text : mustShow) {
            if (rows.stream().noneMatch(row -> row.contains(code(text)))) {
                missing.add(described + ": its row does not show " + code(text));
            }
        }
        return missing;
    }

    private static String code(String text) {
        return "`" + text + "`";
    }
}
