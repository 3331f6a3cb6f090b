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

    /** The largest difference taken as it is. */
    static final Duration LARGEST = Duration.ofHours(1);

    private final Clock clock;
    private volatile Duration ahead;

    ServerClock(Clock clock) {
        this.clock = clock;
    }

    /**
     * Notes a successful answer's {@code Date} header; null (no header, or one that is no HTTP date) changes nothing.
     * A difference beyond {@link #LARGEST} is taken as {@link #LARGEST}: a proxy's wrong clock must not move a window
     * by hours (back past the checkpoints kept of ended runs, or forward past the runs it is there to find).
     */
    void observe(Instant serverDate) {
        if (serverDate != null) {
            Duration between = Duration.between(clock.instant(), serverDate);
            ahead = between.abs().compareTo(LARGEST) <= 0
                    ? between
                    : between.isNegative() ? LARGEST.negated() : LARGEST;
        }
    }

    Optional<Duration> ahead() {
        return Optional.ofNullable(ahead);
    }
}
