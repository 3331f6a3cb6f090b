package dev.lsr.replay.internal;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One kind of WARN line written at most once per interval: each occurrence is counted, and the line that is due says
 * how many it stands for. The one rule behind "logged at most once a minute, with how many since the last such line"
 * (a refused stream, a request body the client stopped sending or hung up on).
 */
final class WarnEvery {

    private final long everyNanos;
    private final LongSupplier nanoTime;
    private boolean warned; // guarded by this
    private long warnedAt; // guarded by this: nanoTime of the last line
    private long since; // guarded by this: occurrences since the last line, this one included

    /** @param nanoTime a time in nanoseconds: {@link System#nanoTime}, or a clock's instant in nanoseconds */
    WarnEvery(Duration every, LongSupplier nanoTime) {
        this.everyNanos = Nanos.of(every);
        this.nanoTime = nanoTime;
    }

    /**
     * Counts one occurrence.
     *
     * @return how many occurrences the line to write now stands for (this one included), or 0 when no line is due
     */
    synchronized long occurred() {
        since++;
        long now = nanoTime.getAsLong();
        if (warned && now - warnedAt < everyNanos) {
            return 0;
        }
        warned = true;
        warnedAt = now;
        long count = since;
        since = 0;
        return count;
    }
}
