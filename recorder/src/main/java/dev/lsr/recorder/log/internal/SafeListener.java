package dev.lsr.recorder.log.internal;

import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.recorder.log.CommitStats;
import dev.lsr.recorder.log.RunLogFailure;
import dev.lsr.recorder.log.RunLogListener;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls a listener and logs, instead of propagating, what its hooks throw: metrics never stop commits. */
final class SafeListener implements RunLogListener {

    private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);

    private final RunLogListener delegate;

    SafeListener(RunLogListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void recordAppended(String runId, RecordType type, int sizeBytes) {
        call(() -> delegate.recordAppended(runId, type, sizeBytes));
    }

    @Override
    public void recordRejected(String runId, Position position, int sizeBytes, int limitBytes) {
        call(() -> delegate.recordRejected(runId, position, sizeBytes, limitBytes));
    }

    @Override
    public void transactionCommitted(CommitStats stats) {
        call(() -> delegate.transactionCommitted(stats));
    }

    @Override
    public void transactionAborted(int partition, Throwable cause) {
        call(() -> delegate.transactionAborted(partition, cause));
    }

    @Override
    public void outageStarted(int partition, Throwable cause) {
        call(() -> delegate.outageStarted(partition, cause));
    }

    @Override
    public void outageEnded(int partition, Duration outage, int failedAttempts) {
        call(() -> delegate.outageEnded(partition, outage, failedAttempts));
    }

    @Override
    public void checkpointSkipped(String runId, String reason) {
        call(() -> delegate.checkpointSkipped(runId, reason));
    }

    @Override
    public void partitionStopped(RunLogFailure failure) {
        call(() -> delegate.partitionStopped(failure));
    }

    @Override
    public void stoppedPartitionReleased(int partition) {
        call(() -> delegate.stoppedPartitionReleased(partition));
    }

    @Override
    public void failed(RunLogFailure failure) {
        call(() -> delegate.failed(failure));
    }

    @Override
    public void rebalanced(int owned) {
        call(() -> delegate.rebalanced(owned));
    }

    @Override
    public void partitionsTaken(int count, Duration took) {
        call(() -> delegate.partitionsTaken(count, took));
    }

    private static void call(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException e) {
            LOG.warn("run log listener failed: {}", e.toString());
        }
    }
}
