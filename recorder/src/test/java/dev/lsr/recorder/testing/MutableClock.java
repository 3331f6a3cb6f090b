package dev.lsr.recorder.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that moves only when told to, with a monotonic time beside it ({@link #nanoTime}): moved forward with the
 * clock, not back when the clock is stepped back, as {@link System#nanoTime} is not. Thread-safe.
 */
public final class MutableClock extends Clock {

    private volatile Instant now;
    private volatile long nanos;

    public MutableClock(Instant start) {
        this.now = start;
    }

    /** Time passes ({@code duration} positive), or the wall clock is stepped back (negative). */
    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
        if (!duration.isNegative()) {
            nanos += duration.toNanos();
        }
    }

    /** The monotonic time in nanoseconds: what {@link System#nanoTime} is to the system clock. */
    public long nanoTime() {
        return nanos;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
