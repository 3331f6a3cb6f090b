package dev.lsr.settings;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of every tool (recorder, consumer, letta-sim): a whole number and a unit,
 * {@code 250ms}, {@code 10s}, {@code 30m}, {@code 3h}, {@code 1d} (a space between them and upper case
 * letters are accepted, as the recorder and the simulator did), a bare {@code 0}, or ISO-8601
 * ({@code PT2S}, {@code PT1H30M}). It is the union of the three grammars the tools had, so that every
 * value one of them took is still taken.
 */
public final class Durations {

    /** What a duration looks like, for error messages and docs. */
    public static final String EXAMPLES = "250ms, 10s, 30m, 3h, 1d, PT2S or 0";

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    private Durations() {}

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}, which it quotes
     */
    public static Duration parse(String text) {
        String trimmed = text == null ? "" : text.strip();
        Matcher matcher = SHORT.matcher(trimmed.toLowerCase(Locale.ROOT));
        if (matcher.matches()) {
            return ofAmount(text, matcher.group(1), matcher.group(2));
        }
        try {
            return Duration.parse(trimmed);
        } catch (DateTimeParseException e) {
            throw notADuration(text);
        }
    }

    private static Duration ofAmount(String text, String digits, String unit) {
        long amount;
        try {
            amount = Long.parseLong(digits);
        } catch (NumberFormatException tooLong) {
            throw new IllegalArgumentException("duration '" + text + "' is too long");
        }
        if (unit == null) {
            // A bare number is ambiguous (seconds? milliseconds?) except zero.
            if (amount == 0) {
                return Duration.ZERO;
            }
            throw new IllegalArgumentException(
                    "duration '" + text + "' needs a unit: ms, s, m, h or d (e.g. " + EXAMPLES + ")");
        }
        try {
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } catch (ArithmeticException tooLong) {
            throw new IllegalArgumentException("duration '" + text + "' is too long");
        }
    }

    private static IllegalArgumentException notADuration(String text) {
        return new IllegalArgumentException("not a duration: '" + text + "' (use e.g. " + EXAMPLES + ")");
    }
}
