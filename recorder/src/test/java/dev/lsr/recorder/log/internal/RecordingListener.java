package dev.lsr.recorder.log.internal;

import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.recorder.log.CommitStats;
import dev.lsr.recorder.log.RunLogFailure;
import dev.lsr.recorder.log.RunLogListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Records what a run log reports. */
class RecordingListener implements RunLogListener {

    final AtomicInteger appended = new AtomicInteger();
    final AtomicInteger rejected = new AtomicInteger();
    final AtomicInteger aborted = new AtomicInteger();
    final AtomicInteger outagesStarted = new AtomicInteger();
    final AtomicInteger outagesEnded = new AtomicInteger();
    final List<CommitStats> commits = new CopyOnWriteArrayList<>();
    final List<RunLogFailure> failures = new CopyOnWriteArrayList<>();

    @Override
    public void recordAppended(String runId, RecordType type, int sizeBytes) {
        appended.incrementAndGet();
    }

    @Override
    public void recordRejected(String runId, Position position, int sizeBytes, int limitBytes) {
        rejected.incrementAndGet();
    }

    @Override
    public void transactionCommitted(CommitStats stats) {
        commits.add(stats);
    }

    @Override
    public void transactionAborted(int partition, Throwable cause) {
        aborted.incrementAndGet();
    }

    @Override
    public void outageStarted(int partition, Throwable cause) {
        outagesStarted.incrementAndGet();
    }

    @Override
    public void outageEnded(int partition, Duration outage, int failedAttempts) {
        outagesEnded.incrementAndGet();
    }

    @Override
    public void failed(RunLogFailure failure) {
        failures.add(failure);
    }
}
