package dev.lsr.consumer.cli.internal;

import dev.lsr.consumer.cli.CliException;
import dev.lsr.consumer.cli.ExitCodes;
import dev.lsr.settings.Durations;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Parses the command line's durations ({@code 10s}, {@code 500ms}, {@code 2h}) and points in time. */
public final class TimeArguments {

    private TimeArguments() {}

    /**
     * The one duration grammar of every tool, {@link Durations}: {@code 500ms}, {@code 10s}, {@code 2h}, {@code PT10S};
     * never negative (a timeout, a keepalive or a time back from now cannot be).
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}, which it quotes
     */
    public static Duration duration(String text) {
        Duration duration = Durations.parse(text);
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration '" + text + "' is negative");
        }
        return duration;
    }

    /**
     * An instant ({@code 2026-03-14T17:00:00Z}), a UTC date ({@code 2026-03-14}), or a duration back
     * from now ({@code 2h} = two hours ago).
     *
     * @throws CliException a usage error (exit 2) for anything else, a negative duration included, and for a time
     *     before the earliest instant there is
     */
    public static Instant instant(String text, Clock clock) {
        String t = text.trim();
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException notInstant) {
            // not an instant: a date or a duration?
        }
        try {
            return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notDate) {
            // not a date: a duration?
        }
        Duration ago;
        try {
            ago = duration(t);
        } catch (IllegalArgumentException notDuration) {
            throw notATime(text, null);
        }
        try {
            return clock.instant().minus(ago);
        } catch (DateTimeException | ArithmeticException tooFarBack) {
            throw notATime(text, "further back than any time there is");
        }
    }

    private static CliException notATime(String text, String why) {
        return new CliException(
                ExitCodes.USAGE,
                "not a time: '" + text + "' (" + (why == null ? "" : why + "; ")
                        + "try 2026-03-14T17:00:00Z, 2026-03-14 or 2h for two hours ago)");
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
