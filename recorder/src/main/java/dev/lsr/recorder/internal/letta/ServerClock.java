package dev.lsr.recorder.internal.letta;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How far the server's clock runs ahead of this machine's, from the {@code Date} header of its last answer that
 * carried one. The header has whole seconds and is stamped before the answer travels, so the figure is a lower
 * bound of the true difference (by up to a second and the answer's way here): a window moved by it into the
 * server's time starts early, never late.
 */
final class ServerClock {

    private final Clock clock;
    private volatile Duration ahead;

    ServerClock(Clock clock) {
        this.clock = clock;
    }

    /** Notes an answer's {@code Date} header; null (no header, or one that is no HTTP date) changes nothing. */
    void observe(Instant serverDate) {
        if (serverDate != null) {
            ahead = Duration.between(clock.instant(), serverDate);
        }
    }

    Optional<Duration> ahead() {
        return Optional.ofNullable(ahead);
    }
}
