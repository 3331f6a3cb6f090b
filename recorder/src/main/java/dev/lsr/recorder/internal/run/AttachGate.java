package dev.lsr.recorder.internal.run;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds how many restored runs attach at once: the attach of a run (the open of its stream, up to the
 * response headers) holds a permit; draining the stream afterwards holds none, so the
 * number of runs drained stays unbounded.
 */
public final class AttachGate {

    /**
     * Why 32: after a restart every active run attaches at once (1,000 in the recovery benchmark), each with
     * a request that mostly waits on the network. Started all together, they queue in OkHttp's connection
     * pool (every acquire scans the pool's connections under its lock, and 1,000 open streams are 1,000
     * connections) and flood the Letta server with 1,000 requests at the same instant. 32 at a time keep two
     * cores and the server busy, and a slow attach delays only its own slot.
     */
    public static final int RESTORE_ATTACHES = 32;

    private final Semaphore permits;

    public AttachGate(int concurrent) {
        if (concurrent < 1) {
            throw new IllegalArgumentException("concurrent attaches must be at least 1, not " + concurrent);
        }
        this.permits = new Semaphore(concurrent, true);
    }

    /** Waits for a slot; the returned permit frees it when closed (closing twice frees it once). */
    public Permit enter() throws InterruptedException {
        permits.acquire();
        return new Permit(permits);
    }

    /** One attach's slot. */
    public static final class Permit implements AutoCloseable {

        /** A permit of no gate: closing it does nothing. */
        public static final Permit NONE = new Permit(null);

        private final Semaphore permits;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Permit(Semaphore permits) {
            this.permits = permits;
        }

        @Override
        public void close() {
            if (permits != null && open.compareAndSet(true, false)) {
                permits.release();
            }
        }
    }
}
