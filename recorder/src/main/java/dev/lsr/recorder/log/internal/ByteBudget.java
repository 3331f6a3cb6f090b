package dev.lsr.recorder.log.internal;

import dev.lsr.recorder.log.RunLogClosedException;
import dev.lsr.recorder.log.RunLogConfig;
import dev.lsr.recorder.log.RunLogException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounded memory for one partition: an append holds its record's size until the record is committed,
 * and blocks while the budget is spent (backpressure reaches the SSE readers of that partition's runs
 * only). A record bigger than the whole budget still passes alone.
 */
final class ByteBudget {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private final long maxBytes;
    private long usedBytes;
    private RunLogException stopped;

    ByteBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * One owned partition's equal share of {@link RunLogConfig#maxPendingBytes()}, at least one full
     * transaction ({@link RunLogConfig#maxBatchBytes()}). A share, not one budget for all: a partition
     * that cannot commit (its leader is away, its transaction hangs) fills only its own share, and the
     * runs of the other partitions keep appending and committing.
     */
    static ByteBudget shareOf(RunLogConfig config, int ownedPartitions) {
        return new ByteBudget(Math.max(config.maxPendingBytes() / ownedPartitions, config.maxBatchBytes()));
    }

    long maxBytes() {
        return maxBytes;
    }

    void acquire(long bytes) {
        lock.lock();
        try {
            while (stopped == null && usedBytes > 0 && usedBytes + bytes > maxBytes) {
                released.await();
            }
            if (stopped != null) {
                throw PendingQueue.copy(stopped);
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
    void stop(RunLogException reason) {
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
