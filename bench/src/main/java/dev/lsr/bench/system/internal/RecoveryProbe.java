package dev.lsr.bench.system.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches which runs have a committed chunk, and which have one received after a given instant (by a
 * restarted recorder), and when the last of them became visible.
 */
final class RecoveryProbe implements ChunkWatcher.Sink {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RecoveryProbe.class);

    private volatile Set<String> tracked;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Set<String> seenSince = ConcurrentHashMap.newKeySet();
    private volatile long sinceMicros = Long.MAX_VALUE;
    private volatile long lastVisibleMicros;

    RecoveryProbe(Set<String> tracked) {
        this.tracked = Set.copyOf(tracked);
    }

    @Override
    public void chunk(String runId, long receivedMicros, long visibleMicros) {
        if (!tracked.contains(runId)) {
            return;
        }
        seen.add(runId);
        if (receivedMicros >= sinceMicros && seenSince.add(runId)) {
            lastVisibleMicros = visibleMicros;
        }
    }

    /** From now on, count only these runs, those with a chunk received at or after {@code micros}. */
    void since(Set<String> runs, long micros) {
        tracked = Set.copyOf(runs);
        seenSince.clear();
        sinceMicros = micros;
    }

    int runsSeen() {
        return seen.size();
    }

    int runsSeenSince() {
        return seenSince.size();
    }

    /** When the last run counted by {@link #runsSeenSince()} became visible. */
    long lastVisibleMicros() {
        return lastVisibleMicros;
    }

    /** Waits until {@code count} reaches {@code target}; false on timeout; throws at once when {@code child} dies. */
    static boolean await(java.util.function.IntSupplier count, int target, long timeoutMillis, ChildRecorder child) {
        long start = System.nanoTime();
        long deadline = start + timeoutMillis * 1_000_000;
        long nextReport = start + 10_000_000_000L;
        while (count.getAsInt() < target) {
            child.requireAlive();
            long now = System.nanoTime();
            if (now > deadline) {
                return false;
            }
            if (now > nextReport) {
                LOG.info("{} of {} runs after {} s", count.getAsInt(), target, (now - start) / 1_000_000_000);
                nextReport = now + 10_000_000_000L;
            }
            SimLoad.sleep(20);
        }
        return true;
    }
}
