package dev.lsr.recorder.log;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts what a run log reports, for integration tests. */
class CountingListener implements RunLogListener {

    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicInteger committedRecords = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger outagesStarted = new AtomicInteger();
    private final AtomicInteger outagesEnded = new AtomicInteger();

    @Override
    public void transactionCommitted(CommitStats stats) {
        commits.incrementAndGet();
        committedRecords.addAndGet(stats.records());
    }

    @Override
    public void recordRejected(String runId, dev.lsr.chunklog.Position position, int sizeBytes, int limitBytes) {
        rejected.incrementAndGet();
    }

    @Override
    public void outageStarted(int partition, Throwable cause) {
        outagesStarted.incrementAndGet();
    }

    @Override
    public void outageEnded(int partition, java.time.Duration outage, int failedAttempts) {
        outagesEnded.incrementAndGet();
    }

    int commits() {
        return commits.get();
    }

    int committedRecords() {
        return committedRecords.get();
    }

    int rejected() {
        return rejected.get();
    }

    int outagesStarted() {
        return outagesStarted.get();
    }

    int outagesEnded() {
        return outagesEnded.get();
    }
}
