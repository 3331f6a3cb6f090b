package dev.lsr.viewer.internal.html;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How figures read on the pages: durations, times, counts. "—" for unknown. */
public final class Format {

    public static final String UNKNOWN = "\u2014";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Format() {}

    public static String duration(Long ms) {
        if (ms == null) {
            return UNKNOWN;
        }
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long seconds = ms / 1000;
        return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }

    public static String millis(Double ms) {
        return ms == null ? UNKNOWN : ms < 1000 ? String.format(Locale.ROOT, "%.0f ms", ms) : duration(ms.longValue());
    }

    /** UTC, to the second. */
    public static String time(Instant at) {
        return at == null ? UNKNOWN : TIME.format(at) + " UTC";
    }

    /** UTC, to the second, without the zone (a column that says UTC in its head). */
    public static String utcTime(Instant at) {
        return at == null ? UNKNOWN : TIME.format(at);
    }

    /** A machine-readable time for {@code <time datetime>}. */
    public static String isoTime(Instant at) {
        return at == null ? "" : at.toString();
    }

    public static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value).replace(',', '\u202f');
    }

    public static String count(Long value) {
        return value == null ? UNKNOWN : count(value.longValue());
    }

    /** An offset from a run's start: {@code +12.3 s}. */
    public static String offset(long ms) {
        return "+" + duration(ms);
    }

    /** A number for SVG coordinates: one decimal, a dot. */
    public static String coordinate(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
