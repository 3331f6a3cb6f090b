package dev.lsr.recorder.log.internal;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.recorder.log.PartitionLostException;
import dev.lsr.recorder.log.PartitionStoppedException;
import dev.lsr.recorder.log.RunLogClosedException;
import dev.lsr.recorder.log.RunLogException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The records of one partition waiting for a transaction, in append order, and the hand-off between
 * the appending threads and the partition's committer: batches are released when the oldest record
 * waited a commit window, a size bound is reached, a flush waits, or the queue closes. An append
 * first takes its bytes from the partition's {@link ByteBudget} (the committer gives them back once
 * committed), so it blocks while this partition has too much pending, whatever the others do.
 *
 * <p>It also hands the committer the tombstones a round selected for the partition ({@link #requestTombstones}):
 * with the next batch, or alone when no record is queued. A closing, stopped or abandoned queue drops them (a
 * partition given up writes none: its next owner's start-up and rounds select again).
 */
final class PendingQueue {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Pending> items = new ArrayDeque<>();
    /** Runs with records dropped uncommitted: by {@link #stop}, {@link #abandon}, or a batch that failed. */
    private final Set<String> droppedRuns = new HashSet<>();
    /** The batch the committer took and has not reported committed yet. */
    private List<Pending> inFlight = List.of();
    /** Checkpoints selected for tombstones ({@link Tombstones}), not taken by the committer yet. */
    private final ArrayDeque<Checkpoint> tombstones = new ArrayDeque<>();

    /** What the committer takes for its next transaction: records (maybe none) and tombstones (maybe none). */
    record Work(List<Pending> items, List<Checkpoint> tombstones) {}

    private final long windowNanos;
    private final int maxBatchRecords;
    private final long maxBatchBytes;
    private final ByteBudget budget;
    private long queuedBytes;
    private long appended;
    private long committed;
    private long flushTarget;
    private boolean closing;
    private boolean abandoned;
    private PartitionLostException handedOver;
    private RunLogException stopped;

    PendingQueue(Duration commitWindow, int maxBatchRecords, long maxBatchBytes, ByteBudget budget) {
        this.windowNanos = commitWindow.toNanos();
        this.maxBatchRecords = maxBatchRecords;
        this.maxBatchBytes = maxBatchBytes;
        this.budget = budget;
    }

    /** Queues a record once the budget has room for it (blocks until then); its bytes are held until committed. */
    void add(Pending pending) {
        budget.acquire(pending.sizeBytes());
        try {
            enqueue(pending);
        } catch (RuntimeException e) {
            budget.release(pending.sizeBytes());
            throw e;
        }
    }

    private void enqueue(Pending pending) {
        lock.lock();
        try {
            if (stopped != null) {
                throw copy(stopped);
            }
            if (closing) {
                throw handedOver != null ? copy(handedOver) : new RunLogClosedException("run log is closed");
            }
            items.addLast(pending);
            appended++;
            queuedBytes += pending.sizeBytes();
            if (items.size() == 1 || items.size() >= maxBatchRecords || queuedBytes >= maxBatchBytes) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the next transaction's work: a batch of records with the tombstones requested meanwhile, or
     * tombstones alone when no record is queued. Null once the queue is closed and drained, stopped or abandoned.
     */
    Work takeWork() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (abandoned || stopped != null || (closing && items.isEmpty())) {
                    return null;
                }
                if (items.isEmpty()) {
                    if (!closing && !tombstones.isEmpty()) {
                        return new Work(List.of(), drainTombstones());
                    }
                    changed.await();
                    continue;
                }
                long waitNanos =
                        windowNanos - (System.nanoTime() - items.getFirst().queuedNanos());
                if (closing
                        || flushTarget > committed
                        || waitNanos <= 0
                        || items.size() >= maxBatchRecords
                        || queuedBytes >= maxBatchBytes) {
                    return new Work(drainBatch(), closing ? List.of() : drainTombstones());
                }
                changed.awaitNanos(waitNanos);
            }
        } finally {
            lock.unlock();
        }
    }

    private List<Pending> drainBatch() {
        List<Pending> batch = new ArrayList<>();
        long bytes = 0;
        while (!items.isEmpty()
                && batch.size() < maxBatchRecords
                && (batch.isEmpty() || bytes + items.getFirst().sizeBytes() <= maxBatchBytes)) {
            Pending next = items.removeFirst();
            bytes += next.sizeBytes();
            batch.add(next);
        }
        queuedBytes -= bytes;
        inFlight = batch;
        return batch;
    }

    /** At most a batch's count of the requested tombstones; the rest go with the next transactions. */
    private List<Checkpoint> drainTombstones() {
        List<Checkpoint> taken = new ArrayList<>();
        while (!tombstones.isEmpty() && taken.size() < maxBatchRecords) {
            taken.add(tombstones.removeFirst());
        }
        return taken;
    }

    /**
     * Hands the committer the checkpoints a round selected for tombstones, replacing those of an earlier round not
     * taken yet; ignored once the queue closes, stopped or was abandoned.
     */
    void requestTombstones(Collection<Checkpoint> ended) {
        signal(() -> {
            tombstones.clear();
            if (!closing && !abandoned && stopped == null) {
                tombstones.addAll(ended);
            }
        });
    }

    void markCommitted(int records) {
        lock.lock();
        try {
            inFlight = List.of();
            committed += records;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until everything appended before the call is committed. */
    void awaitCommitted() {
        lock.lock();
        try {
            long target = appended;
            flushTarget = Math.max(flushTarget, target);
            changed.signalAll();
            while (committed < target) {
                if (stopped != null) {
                    throw copy(stopped);
                }
                if (abandoned) {
                    throw new RunLogClosedException("run log closed before everything was committed");
                }
                changed.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunLogClosedException("interrupted while waiting for a commit");
        } finally {
            lock.unlock();
        }
    }

    /** Pauses the committer; false when the queue was abandoned meanwhile. */
    boolean pause(Duration duration) throws InterruptedException {
        lock.lock();
        try {
            long nanos = duration.toNanos();
            while (!abandoned && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            return !abandoned;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new records (appends waiting for budget too); the committer commits what is queued, then stops. */
    void close() {
        signal(() -> {
            closing = true;
            tombstones.clear();
        });
        budget.stop(new RunLogClosedException("run log is closed"));
    }

    /**
     * Like {@link #close()}, for a fleet member giving the partition up: the committer commits what is queued,
     * and appends throw {@code reason} (their runs continue on the new owner).
     */
    void handOver(PartitionLostException reason) {
        signal(() -> {
            handedOver = reason;
            closing = true;
            tombstones.clear();
        });
        budget.stop(reason);
    }

    /** Stops the committer now, leaving queued records uncommitted. */
    void abandon() {
        signal(() -> {
            abandoned = true;
            tombstones.clear();
            // the batch in flight too: the committer may not get to say so before its partition's runs are offered
            noteDropped(inFlight);
            noteDropped(items);
        });
        budget.stop(new RunLogClosedException("run log is closed"));
    }

    /**
     * Stops everything on a fatal error: appends and flushes throw {@code reason} (a
     * {@link RunLogClosedException} when the log stopped, a {@link PartitionStoppedException} when only this
     * partition did). Drops the queued records (a restarted recorder drains them again from the committed
     * checkpoints) and returns their bytes, for the caller to give back to the budget.
     */
    long stop(RunLogException reason) {
        lock.lock();
        try {
            stopped = reason;
            noteDropped(inFlight);
            noteDropped(items);
            long bytes = items.stream().mapToLong(Pending::sizeBytes).sum();
            items.clear();
            tombstones.clear();
            queuedBytes = 0;
            changed.signalAll();
            budget.stop(reason);
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** The records of a batch that failed or was abandoned were not committed. */
    void dropped(Collection<Pending> batch) {
        lock.lock();
        try {
            noteDropped(batch);
        } finally {
            lock.unlock();
        }
    }

    private void noteDropped(Collection<Pending> records) {
        records.forEach(p -> droppedRuns.add(p.record().runId()));
    }

    /**
     * The runs that had records dropped uncommitted; a run among them with nothing committed has no checkpoint to
     * be continued from.
     */
    Set<String> droppedRuns() {
        lock.lock();
        try {
            return Set.copyOf(droppedRuns);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refuses appends with {@code reason} (those waiting for budget too) while the committer goes on:
     * another partition failed the log, and no run should wait for this one's commits to hear it.
     */
    void refuseAppends(RunLogClosedException reason) {
        budget.stop(reason);
    }

    /** A new exception of {@code reason}'s kind, so each thrower gets its own stack trace. */
    static RunLogException copy(RunLogException reason) {
        return switch (reason) {
            case PartitionStoppedException stopped ->
                new PartitionStoppedException(stopped.getMessage(), stopped.getCause());
            case PartitionLostException lost -> new PartitionLostException(lost.getMessage());
            default -> new RunLogClosedException(reason.getMessage(), reason.getCause());
        };
    }

    boolean isAbandoned() {
        lock.lock();
        try {
            return abandoned;
        } finally {
            lock.unlock();
        }
    }

    /** Records appended and not (yet) committed. */
    long uncommitted() {
        lock.lock();
        try {
            return appended - committed;
        } finally {
            lock.unlock();
        }
    }

    private void signal(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
