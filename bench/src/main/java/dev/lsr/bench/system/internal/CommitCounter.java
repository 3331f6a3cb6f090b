package dev.lsr.bench.system.internal;

import dev.lsr.recorder.RecorderListener;
import dev.lsr.recorder.log.CommitStats;
import dev.lsr.recorder.log.RunLogFailure;
import dev.lsr.recorder.log.RunLogListener;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counts what a recorder did through its public hooks: chunks handed to the log, records and
 * transactions committed, and when the last commit happened.
 */
final class CommitCounter implements RunLogListener, RecorderListener {

    private final AtomicLong chunksAppended = new AtomicLong();
    private final AtomicLong recordsCommitted = new AtomicLong();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong lastCommitNanos = new AtomicLong();
    private final AtomicReference<RunLogFailure> failure = new AtomicReference<>();

    @Override
    public void chunkAppended(String runId, int sizeBytes) {
        chunksAppended.incrementAndGet();
    }

    @Override
    public void transactionCommitted(CommitStats stats) {
        recordsCommitted.addAndGet(stats.records());
        transactions.incrementAndGet();
        lastCommitNanos.set(System.nanoTime());
    }

    @Override
    public void failed(RunLogFailure value) {
        failure.compareAndSet(null, value);
    }

    long chunksAppended() {
        return chunksAppended.get();
    }

    long recordsCommitted() {
        return recordsCommitted.get();
    }

    long transactions() {
        return transactions.get();
    }

    /** {@link System#nanoTime()} of the last commit, 0 before the first. */
    long lastCommitNanos() {
        return lastCommitNanos.get();
    }

    RunLogFailure failure() {
        return failure.get();
    }
}
