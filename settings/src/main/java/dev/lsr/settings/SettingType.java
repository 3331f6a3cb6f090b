package dev.lsr.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * How a setting's text becomes a value, and what the text should look like (for errors and docs).
 *
 * @param expectation what a valid text is, completing "is not ...": {@code a whole number}
 * @param parser      text to value; throws {@link IllegalArgumentException} on text it cannot read
 * @param list        true for a list: a flag may repeat, other sources separate values with commas
 */
public record SettingType<T>(String expectation, Function<String, T> parser, boolean list) {

    /** Any text, stripped. */
    public static final SettingType<String> STRING = new SettingType<>("a text", String::strip, false);

    /** A whole number within {@code int}. */
    public static final SettingType<Integer> INT =
            new SettingType<>("a whole number", text -> Integer.parseInt(text.strip()), false);

    /** {@code true} or {@code false}, nothing else (typos do not pass as false). */
    public static final SettingType<Boolean> BOOLEAN = new SettingType<>("true or false", SettingType::bool, false);

    /** The one duration grammar, {@link Durations}. */
    public static final SettingType<Duration> DURATION =
            new SettingType<>("a duration like " + Durations.EXAMPLES, Durations::parse, false);

    /** A file system path, as given. */
    public static final SettingType<Path> PATH = new SettingType<>("a path", text -> Path.of(text.strip()), false);

    /** Comma-separated texts, each stripped, empty ones dropped. */
    public static final SettingType<List<String>> LIST =
            new SettingType<>("a comma-separated list", SettingType::list, true);

    public SettingType {
        Objects.requireNonNull(expectation, "expectation");
        Objects.requireNonNull(parser, "parser");
    }

    /** The value of {@code text}; {@link IllegalArgumentException} when it is not {@link #expectation()}. */
    public T parse(String text) {
        return parser.apply(text);
    }

    private static Boolean bool(String text) {
        return switch (text.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("not a boolean");
        };
    }

    private static List<String> list(String text) {
        return Arrays.stream(text.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
