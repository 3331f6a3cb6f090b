package dev.lsr.recorder.log.internal;

import dev.lsr.recorder.log.RunLogClosedException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounded memory for all partitions: an append holds its record's size until the record is committed,
 * and blocks while the budget is spent (backpressure reaches the SSE readers). A record bigger than the
 * whole budget still passes alone.
 */
final class ByteBudget {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private final long maxBytes;
    private long usedBytes;
    private RunLogClosedException stopped;

    ByteBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    void acquire(long bytes) {
        lock.lock();
        try {
            while (stopped == null && usedBytes > 0 && usedBytes + bytes > maxBytes) {
                released.await();
            }
            if (stopped != null) {
                throw new RunLogClosedException(stopped.getMessage(), stopped.getCause());
            }
            usedBytes += bytes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunLogClosedException("interrupted while waiting for the run log to catch up");
        } finally {
            lock.unlock();
        }
    }

    void release(long bytes) {
        lock.lock();
        try {
            usedBytes -= bytes;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes blocked appends, which throw {@code reason}; later acquires throw it too. */
    void stop(RunLogClosedException reason) {
        lock.lock();
        try {
            if (stopped == null) {
                stopped = reason;
            }
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long usedBytes() {
        lock.lock();
        try {
            return usedBytes;
        } finally {
            lock.unlock();
        }
    }
}
