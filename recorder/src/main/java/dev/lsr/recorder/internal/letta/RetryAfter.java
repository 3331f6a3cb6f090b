package dev.lsr.recorder.internal.letta;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads an HTTP {@code Retry-After} value (RFC 9110 §10.2.3): either delay-seconds ({@code 120}) or an
 * HTTP-date ({@code Wed, 21 Oct 2026 07:28:00 GMT}), which is turned into the delay from {@code now}.
 * A date in the past means "now" (zero); a value that is neither form is ignored, so a garbled header
 * leaves the caller's own backoff in charge.
 */
public final class RetryAfter {

    /**
     * The longest wait a server's {@code Retry-After} gets: a recorder that waited hours as asked (a 429 or 503 with
     * {@code Retry-After: 14400}) would come back to runs whose streams Letta no longer keeps (3 hours), and a
     * watcher to runs it can no longer catch up. Longer asks are taken as this, and asked again.
     */
    public static final Duration LONGEST = Duration.ofMinutes(5);

    private RetryAfter() {}

    /**
     * @param value the header's value, or null
     * @param now   the moment the response arrived (an HTTP-date is relative to it)
     * @return the delay the server asks for, empty when it asked for none that can be read
     */
    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.strip();
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
            } catch (NumberFormatException tooLarge) {
                return Optional.empty();
            }
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            Duration delay = Duration.between(now, at);
            return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
        } catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }

    /**
     * The longer of the server's {@code Retry-After} (when the error carries one, at most {@link #LONGEST}) and
     * {@code backoff}.
     */
    public static Duration atLeast(IOException error, Duration backoff) {
        if (error instanceof LettaHttpException http && http.retryAfter().isPresent()) {
            Duration asked = http.retryAfter().get().compareTo(LONGEST) > 0
                    ? LONGEST
                    : http.retryAfter().get();
            return asked.compareTo(backoff) > 0 ? asked : backoff;
        }
        return backoff;
    }
}
