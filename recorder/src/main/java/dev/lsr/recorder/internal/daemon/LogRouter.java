package dev.lsr.recorder.internal.daemon;

import dev.lsr.recorder.internal.intake.RunRouter;
import dev.lsr.recorder.log.RunLog;

/** A fleet member's routing: the run log knows which partitions it owns, and offers the others' runs. */
final class LogRouter implements RunRouter {

    private final RunLog runLog;

    LogRouter(RunLog runLog) {
        this.runLog = runLog;
    }

    @Override
    public boolean owns(String runId) {
        return runLog.owns(runId);
    }

    @Override
    public void offer(String runId, String mode) {
        runLog.offer(runId, mode);
    }
}
