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
 *
 * <p>With a maximum number of entries (Letta's {@code XADD ... MAXLEN ~ 10000}) the oldest entries
 * are dropped once more frames are stored: a reader that had not read them yet goes on with the
 * oldest entry left, as a Redis {@code XRANGE} from its last id would. Entries have absolute indexes,
 * so a reader's index stays valid across trims. {@link #frames()} keeps every stored frame (what the
 * run produced, for tests).
 */
public final class RunStream {

    private final String runId;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<StreamEntry> entries = new ArrayList<>();
    private final List<StoredFrame> frames = new ArrayList<>();
    private final int maxEntries;
    private int trimmed;
    private int storedInEntries;
    private long nextSeq;
    private boolean finished;
    private boolean closed;

    /** A stream whose first stored frame takes {@code firstSeq} (1 for a whole run), never trimmed. */
    public RunStream(String runId, long firstSeq) {
        this(runId, firstSeq, 0);
    }

    /** A stream that keeps at most {@code maxEntries} stored frames for its readers (0: all). */
    public RunStream(String runId, long firstSeq, int maxEntries) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative: " + maxEntries);
        }
        this.runId = runId;
        this.nextSeq = firstSeq;
        this.maxEntries = maxEntries;
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
            storedInEntries++;
            trim();
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

    /** Drops the oldest entries (and the recorded pings among them) down to {@code maxEntries} stored frames. */
    private void trim() {
        if (maxEntries == 0 || storedInEntries <= maxEntries) {
            return;
        }
        int drop = 0;
        while (storedInEntries > maxEntries) {
            if (entries.get(drop++) instanceof StreamEntry.Stored) {
                storedInEntries--;
            }
        }
        entries.subList(0, drop).clear();
        trimmed += drop;
    }

    /**
     * Entries from an absolute index on: {@code from} is the index of the first one, past {@code index}
     * when the stream was trimmed beyond it.
     */
    public record Slice(int from, List<StreamEntry> entries) {
        /** The index to read from next. */
        public int next() {
            return from + entries.size();
        }
    }

    /**
     * The entries from absolute {@code index} on (from the oldest entry left when older ones were
     * trimmed); waits up to {@code timeoutNanos} when there are none yet. Returns an empty slice on
     * timeout or when the stream was closed.
     */
    public Slice awaitFrom(int index, long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while (trimmed + entries.size() <= index && !closed && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            int from = Math.max(index, trimmed);
            if (trimmed + entries.size() <= from) {
                return new Slice(from, List.of());
            }
            return new Slice(from, List.copyOf(entries.subList(from - trimmed, entries.size())));
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
            trimmed += entries.size();
            entries.clear();
            storedInEntries = 0;
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
