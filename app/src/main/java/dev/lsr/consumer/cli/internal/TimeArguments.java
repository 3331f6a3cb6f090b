package dev.lsr.consumer.cli.internal;

import dev.lsr.consumer.cli.CliException;
import dev.lsr.consumer.cli.ExitCodes;
import dev.lsr.settings.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Parses the command line's durations ({@code 10s}, {@code 500ms}, {@code 2h}) and points in time. */
public final class TimeArguments {

    private TimeArguments() {}

    /** The one duration grammar of every tool, {@link Durations}: {@code 500ms}, {@code 10s}, {@code 2h}, {@code PT10S}. */
    public static Duration duration(String text) {
        return Durations.parse(text);
    }

    /**
     * An instant ({@code 2026-03-14T17:00:00Z}), a UTC date ({@code 2026-03-14}), or a duration back
     * from now ({@code 2h} = two hours ago).
     *
     * @throws CliException a usage error (exit 2) for anything else
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
                    throw new CliException(
                            ExitCodes.USAGE,
                            "not a time: '" + text
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
