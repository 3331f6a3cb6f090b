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
    private final AtomicLong transactionMicros = new AtomicLong();
    private final AtomicLong aborts = new AtomicLong();
    private final AtomicReference<RunLogFailure> failure = new AtomicReference<>();

    @Override
    public void chunkAppended(String runId, int sizeBytes) {
        chunksAppended.incrementAndGet();
    }

    @Override
    public void transactionCommitted(CommitStats stats) {
        recordsCommitted.addAndGet(stats.records());
        transactions.incrementAndGet();
        transactionMicros.addAndGet(stats.transactionTime().toNanos() / 1_000);
        aborts.addAndGet(stats.attempts() - 1L);
        lastCommitNanos.set(System.nanoTime());
    }

    @Override
    public void transactionAborted(int partition, Throwable cause) {
        // counted by attempts in transactionCommitted; a batch that never commits fails the log
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

    /** Aborted attempts of batches that then committed. */
    long aborts() {
        return aborts.get();
    }

    /** One line: transactions, records per transaction, mean transaction time, aborts. */
    String transactionSummary() {
        long count = Math.max(1, transactions.get());
        return String.format(
                java.util.Locale.ROOT,
                "%d transactions, %.0f records each, %.1f ms each, %d aborted attempts",
                transactions.get(),
                recordsCommitted.get() / (double) count,
                transactionMicros.get() / 1000.0 / count,
                aborts.get());
    }

    /** {@link System#nanoTime()} of the last commit, 0 before the first. */
    long lastCommitNanos() {
        return lastCommitNanos.get();
    }

    RunLogFailure failure() {
        return failure.get();
    }
}
