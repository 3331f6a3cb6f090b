package dev.lsr.chunklog;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Letta's timestamps (a Run object's {@code created_at}, ...): ISO-8601, the zone designator sometimes absent (UTC). */
public final class LettaTimes {

    private LettaTimes() {}

    /** The instant {@code text} names, or null when it is null or not such a time. */
    public static Instant parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }
}
