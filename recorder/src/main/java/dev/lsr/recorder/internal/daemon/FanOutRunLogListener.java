package dev.lsr.recorder.internal.daemon;

import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.recorder.log.CommitStats;
import dev.lsr.recorder.log.RunLogFailure;
import dev.lsr.recorder.log.RunLogListener;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Calls several {@link RunLogListener}s in order, e.g. the caller's and the metrics. The run log
 * already logs and ignores what a hook throws; here a throwing listener does not keep the later
 * ones from being called.
 */
public final class FanOutRunLogListener implements RunLogListener {

    private final List<RunLogListener> listeners;

    private FanOutRunLogListener(List<RunLogListener> listeners) {
        this.listeners = listeners;
    }

    /** One listener for all of {@code listeners}, leaving out {@link RunLogListener#NONE}. */
    public static RunLogListener of(RunLogListener... listeners) {
        List<RunLogListener> used = List.of(listeners).stream()
                .filter(l -> l != RunLogListener.NONE)
                .toList();
        return used.isEmpty()
                ? RunLogListener.NONE
                : used.size() == 1 ? used.getFirst() : new FanOutRunLogListener(used);
    }

    @Override
    public void recordAppended(String runId, RecordType type, int sizeBytes) {
        each(l -> l.recordAppended(runId, type, sizeBytes));
    }

    @Override
    public void recordRejected(String runId, Position position, int sizeBytes, int limitBytes) {
        each(l -> l.recordRejected(runId, position, sizeBytes, limitBytes));
    }

    @Override
    public void transactionCommitted(CommitStats stats) {
        each(l -> l.transactionCommitted(stats));
    }

    @Override
    public void transactionAborted(int partition, Throwable cause) {
        each(l -> l.transactionAborted(partition, cause));
    }

    @Override
    public void outageStarted(int partition, Throwable cause) {
        each(l -> l.outageStarted(partition, cause));
    }

    @Override
    public void outageEnded(int partition, Duration outage, int failedAttempts) {
        each(l -> l.outageEnded(partition, outage, failedAttempts));
    }

    @Override
    public void checkpointSkipped(String runId, String reason) {
        each(l -> l.checkpointSkipped(runId, reason));
    }

    @Override
    public void partitionStopped(RunLogFailure failure) {
        each(l -> l.partitionStopped(failure));
    }

    @Override
    public void stoppedPartitionReleased(int partition) {
        each(l -> l.stoppedPartitionReleased(partition));
    }

    @Override
    public void failed(RunLogFailure failure) {
        each(l -> l.failed(failure));
    }

    /** Calls every listener; rethrows the first failure once all were called (the log logs it). */
    @Override
    public void rebalanced(int owned) {
        each(l -> l.rebalanced(owned));
    }

    @Override
    public void partitionsTaken(int count, Duration took) {
        each(l -> l.partitionsTaken(count, took));
    }

    private void each(Consumer<RunLogListener> hook) {
        RuntimeException first = null;
        for (RunLogListener listener : listeners) {
            try {
                hook.accept(listener);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
