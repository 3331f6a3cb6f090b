package dev.lsr.recorder.log.internal;

import dev.lsr.kernel.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * How long a partition that stopped (its producer could not go on) waits before it is taken again: one rule for a
 * fleet member ({@link GroupMembership}) and a recorder alone ({@link StandaloneRetakes}). 0.5 s after its first stop
 * within {@link #STOP_MEMORY}, doubling with each further one up to {@link #MAX_STOP_DELAY}. A take that succeeds does
 * not reset it: an error that comes back after every take (a record the partition can never commit) must not fence,
 * restore and restart the partition's runs every second. Thread-safe.
 */
final class StopBackoff {

    static final Duration FIRST_STOP_DELAY = Duration.ofMillis(500);
    static final Duration MAX_STOP_DELAY = Duration.ofMinutes(5);
    /** Stops longer ago than this no longer lengthen the wait before the next take. */
    static final Duration STOP_MEMORY = Duration.ofMinutes(30);
    /** The wait before the next try of a take that failed (the producer still refused): it grows with each failure. */
    static final Backoff FAILED_TAKE = Backoff.doubling(Duration.ofMillis(500), Duration.ofSeconds(10));

    private final Clock clock;
    private final Map<Integer, ArrayDeque<Instant>> stops = new HashMap<>();

    StopBackoff(Clock clock) {
        this.clock = clock;
    }

    /** Notes a stop of {@code partition} now, and returns how long it waits before it is taken again. */
    synchronized Duration delayAfterStop(int partition) {
        Instant now = clock.instant();
        ArrayDeque<Instant> times = stops.computeIfAbsent(partition, p -> new ArrayDeque<>());
        times.addLast(now);
        while (!times.isEmpty() && times.peekFirst().isBefore(now.minus(STOP_MEMORY))) {
            times.removeFirst();
        }
        Duration delay = FIRST_STOP_DELAY.multipliedBy(1L << Math.min(20, times.size() - 1));
        return delay.compareTo(MAX_STOP_DELAY) > 0 ? MAX_STOP_DELAY : delay;
    }
}
