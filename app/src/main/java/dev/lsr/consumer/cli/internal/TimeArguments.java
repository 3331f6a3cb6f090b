package dev.lsr.consumer.cli.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the command line's durations ({@code 10s}, {@code 500ms}, {@code 2h}) and points in time. */
public final class TimeArguments {

    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private TimeArguments() {
    }

    /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}, or ISO-8601 ({@code PT10S}). */
    public static Duration duration(String text) {
        Matcher m = SHORT.matcher(text.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (try 10s, 500ms, 5m, 2h)");
        }
    }

    /**
     * An instant ({@code 2026-03-14T17:00:00Z}), a UTC date ({@code 2026-03-14}), or a duration back
     * from now ({@code 2h} = two hours ago).
     */
    public static Instant instant(String text, Clock clock) {
        String t = text.trim();
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                try {
                    return clock.instant().minus(duration(t));
                } catch (IllegalArgumentException notDuration) {
                    throw new IllegalArgumentException("not a time: '" + text
                            + "' (try 2026-03-14T17:00:00Z, 2026-03-14 or 2h for two hours ago)");
                }
            }
        }
    }

    /** {@code 850ms}, {@code 12.3s}, {@code 4m07s}, {@code 2h03m}. */
    public static String humanDuration(Duration d) {
        long ms = d.toMillis();
        if (ms < 1_000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(java.util.Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(java.util.Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
