package dev.lsr.replay.internal;

import java.time.Duration;

/** A limit in nanoseconds for a timed wait, capped: a huge one ({@code Duration.toNanos} overflows) waits for ever. */
final class Nanos {

    private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE / 2); // about 146 years

    private Nanos() {}

    /** {@code limit} in nanoseconds, at most about 146 years: so a deadline computed from now never overflows. */
    static long of(Duration limit) {
        return limit.compareTo(LONGEST) > 0 ? LONGEST.toNanos() : limit.toNanos();
    }
}
