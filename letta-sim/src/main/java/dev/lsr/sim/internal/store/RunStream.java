package dev.lsr.sim.internal.store;

import dev.lsr.sim.StoredFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The append-only stream of one run (the simulated {@code sse:run:{run_id}} Redis stream): stored
 * frames take consecutive sequence numbers; readers wait for new entries. Thread-safe.
 */
public final class RunStream {

    private final String runId;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<StreamEntry> entries = new ArrayList<>();
    private final List<StoredFrame> frames = new ArrayList<>();
    private long nextSeq;
    private boolean finished;
    private boolean closed;

    /** A stream whose first stored frame takes {@code firstSeq} (1 for a whole run). */
    public RunStream(String runId, long firstSeq) {
        this.runId = runId;
        this.nextSeq = firstSeq;
    }

    /** Stores a frame under the next sequence number and wakes readers. */
    public StoredFrame store(FrameSpec spec) {
        lock.lock();
        try {
            if (finished) {
                throw new IllegalStateException("run " + runId + " already stored its final frame");
            }
            StoredFrame frame = new StoredFrame(runId, nextSeq++, spec.bytes(), spec.isFinal());
            frames.add(frame);
            entries.add(new StreamEntry.Stored(frame));
            finished = spec.isFinal();
            changed.signalAll();
            return frame;
        } finally {
            lock.unlock();
        }
    }

    /** Adds a recorded keepalive ping to the timeline (not a stored frame). */
    public void addRecordedPing(byte[] bytes, long replayBelow) {
        lock.lock();
        try {
            entries.add(new StreamEntry.RecordedPing(bytes, replayBelow));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The entries from {@code index} on; waits up to {@code timeoutNanos} when there are none yet.
     * Returns an empty list on timeout or when the stream was closed.
     */
    public List<StreamEntry> awaitFrom(int index, long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while (entries.size() <= index && !closed && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            if (entries.size() <= index) {
                return List.of();
            }
            return List.copyOf(entries.subList(index, entries.size()));
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the final frame is stored or the timeout passes; true if finished. */
    public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        lock.lock();
        try {
            long remaining = unit.toNanos(timeout);
            while (!finished && !closed && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            return finished;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes all readers for good (server shutdown). */
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Drops the stored frames of a finished run (its Redis key expired). Returns the number of frames
     * dropped; does nothing for a run still in progress.
     */
    public int evict() {
        lock.lock();
        try {
            if (!finished) {
                return 0;
            }
            int dropped = frames.size();
            frames.clear();
            entries.clear();
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the stream was closed by the server. */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the final frame is stored. */
    public boolean isFinished() {
        lock.lock();
        try {
            return finished;
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot of the stored frames. */
    public List<StoredFrame> frames() {
        lock.lock();
        try {
            return List.copyOf(frames);
        } finally {
            lock.unlock();
        }
    }

    /** Number of stored frames so far. */
    public int storedCount() {
        lock.lock();
        try {
            return frames.size();
        } finally {
            lock.unlock();
        }
    }

    /** The sequence number the next stored frame takes. */
    public long nextSeq() {
        lock.lock();
        try {
            return nextSeq;
        } finally {
            lock.unlock();
        }
    }
}
