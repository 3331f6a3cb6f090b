package dev.lsr.replay.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds each read of an upstream's response body ({@link UpstreamProxy}) by a limit, with one watchdog (a virtual
 * thread) for the whole response: it closes the body when a read has waited past the limit, which ends that read
 * (the JDK client's body stream wakes a blocked read on its close, which also lets go of the upstream's response). The
 * reads mark only when they start and end, no allocation nor thread of their own: before, each read started a virtual
 * thread of its own ({@code ReadDeadline}), one per frame of a Letta stream. The time the handler spends between
 * reads (writing to its client, under its own write deadline) does not count.
 */
final class SilenceWatch implements AutoCloseable {

    private final InputStream body;
    private final long limitNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long readingSince; // guarded by lock
    private boolean reading; // guarded by lock
    private boolean expired; // guarded by lock
    private boolean closed; // guarded by lock

    private SilenceWatch(InputStream body, Duration limit) {
        this.body = body;
        this.limitNanos = Nanos.of(limit); // a huge limit does not overflow: it waits for ever
        Thread.ofVirtual().name("upstream-silence-watch").start(this::watch);
    }

    /** Watches the reads of {@code body} made through {@link #read}, until closed. */
    static SilenceWatch of(InputStream body, Duration limit) {
        return new SilenceWatch(body, limit);
    }

    /**
     * One read of the body into {@code buffer} (no lambda nor other allocation per read).
     *
     * @throws IOException the read's own, or the one the body's closing made once the read waited past the limit:
     *     {@link #expired()} tells them apart
     */
    int read(byte[] buffer) throws IOException {
        lock.lock();
        try {
            reading = true;
            readingSince = System.nanoTime();
        } finally {
            lock.unlock();
        }
        try {
            return body.read(buffer);
        } finally {
            lock.lock();
            try {
                reading = false;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Whether a read waited past the limit: the body was closed. */
    boolean expired() {
        lock.lock();
        try {
            return expired;
        } finally {
            lock.unlock();
        }
    }

    private void watch() {
        lock.lock();
        try {
            while (!closed) {
                long left = reading ? limitNanos - (System.nanoTime() - readingSince) : limitNanos; // no overflow
                if (left > 0) { // not reading: a read that starts now ends its wait at the latest this late
                    changed.await(left, TimeUnit.NANOSECONDS);
                    continue;
                }
                expired = true;
                closeBody();
                return;
            }
        } catch (InterruptedException e) {
            // not expected: nothing interrupts the watchdog
        } finally {
            lock.unlock();
        }
    }

    private void closeBody() {
        try {
            body.close(); // quick: cancels the subscription and wakes a blocked read
        } catch (IOException e) {
            // the read ends all the same
        }
    }

    /** Stops watching. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
