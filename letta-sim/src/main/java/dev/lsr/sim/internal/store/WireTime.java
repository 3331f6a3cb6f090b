package dev.lsr.sim.internal.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The two time formats of the wire: chunk dates and Run timestamps. */
public final class WireTime {

    private static final DateTimeFormatter CHUNK_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RUN_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private WireTime() {}

    /** Chunk {@code date}: second precision, {@code +00:00}, e.g. {@code 2026-03-14T17:32:13+00:00}. */
    public static String chunkDate(Instant instant) {
        return CHUNK_DATE.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Run {@code created_at}/{@code completed_at}: microseconds, {@code Z}. */
    public static String runTime(Instant instant) {
        return RUN_TIME.format(instant.truncatedTo(ChronoUnit.MICROS));
    }
}
