package dev.lsr.consumer.analytics.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The problems a restore meets in the summary topic (a saved state the fold cannot read, summaries deleted before the
 * restore read them), each counted and logged once: every restore (each assignment, each rewind after an abort)
 * reads the partition from its start again and meets the same ones. Per summary partition, an offset is a problem
 * once. Not thread-safe: the loop's thread only.
 */
final class RestoreProblems {

    private final AtomicLong problems;
    /** Per partition: the offsets below this whose saved state was unreadable have been counted. */
    private final Map<Integer, Long> unreadableCountedUpTo = new HashMap<>();
    /** Per partition: the offsets below this deleted unread have been counted. */
    private final Map<Integer, Long> deletedCountedUpTo = new HashMap<>();

    /** @param problems the job's count */
    RestoreProblems(AtomicLong problems) {
        this.problems = problems;
    }

    /**
     * The saved state at {@code offset} is unreadable: true, and counted, the first time (the caller logs it then).
     * A restore reads in offset order, so an offset below one counted was counted.
     */
    boolean unreadable(int partition, long offset) {
        if (offset < unreadableCountedUpTo.getOrDefault(partition, 0L)) {
            return false;
        }
        unreadableCountedUpTo.put(partition, offset + 1);
        problems.incrementAndGet();
        return true;
    }

    /** Offsets {@code from} (inclusive) to {@code to} (exclusive) were deleted unread: counts those not counted. */
    void deleted(int partition, long from, long to) {
        long start = Math.max(from, deletedCountedUpTo.getOrDefault(partition, 0L));
        if (to > start) {
            problems.addAndGet(to - start);
            deletedCountedUpTo.put(partition, to);
        }
    }
}
