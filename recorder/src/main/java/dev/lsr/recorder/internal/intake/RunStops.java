package dev.lsr.recorder.internal.intake;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recording threads asked to stop while the recorder goes on (in a fleet: the runs of partitions given
 * up). A session reads it through its context's {@code stopping}, so it leaves its run where it is exactly
 * as when the whole recorder stops.
 */
public final class RunStops {

    private final Set<Thread> stopping = ConcurrentHashMap.newKeySet();

    /** True when the calling thread was asked to stop. */
    public boolean current() {
        return stopping.contains(Thread.currentThread());
    }

    void add(Thread thread) {
        stopping.add(thread);
    }

    void remove(Thread thread) {
        stopping.remove(thread);
    }
}
