package dev.lsr.kernel.http;

import java.time.Duration;

/**
 * Bounds how long the calling (handler) thread may block reading its request. An interrupt ends a blocked read of
 * the JDK server's connection: the channel is interruptible, so the read fails and the connection is closed. Used
 * around a refusal's answer, whose closing drains the request body the handler left unread (up to 64 KiB, the
 * JDK's {@code sun.net.httpserver.drainAmount}, at whatever pace the client sends it: without this, a body
 * trickling in held the thread and the connection for as long as the client liked): {@link Refusals}; and around the
 * replay server's reads of a stream request's body (past the limit, its connection closes unanswered).
 */
public final class ReadDeadline implements AutoCloseable {

    private final Thread reader = Thread.currentThread();
    private final Thread timer;
    private boolean armed = true; // guarded by this
    private boolean expired; // guarded by this

    private ReadDeadline(Duration limit) {
        this.timer = Thread.ofVirtual().name("read-deadline").start(() -> {
            try {
                Thread.sleep(limit);
                expire();
            } catch (InterruptedException e) {
                // closed in time
            }
        });
    }

    /** Interrupts the calling thread after {@code limit}, unless closed before. */
    public static ReadDeadline after(Duration limit) {
        return new ReadDeadline(limit);
    }

    private synchronized void expire() {
        if (armed) {
            expired = true;
            reader.interrupt();
        }
    }

    /** Whether the limit passed before it was closed: it interrupted the calling thread. */
    public synchronized boolean expired() {
        return expired;
    }

    /** Disarms it; clears the interrupt it made, if it made one. */
    @Override
    public void close() {
        boolean clear;
        synchronized (this) {
            armed = false;
            clear = expired;
        }
        timer.interrupt();
        if (clear) {
            Thread.interrupted();
        }
    }
}
