package dev.lsr.recorder.internal.daemon;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.RunState;
import dev.lsr.recorder.internal.drain.AppenderClosedException;
import dev.lsr.recorder.internal.drain.RunAppender;
import dev.lsr.recorder.log.RunLog;
import dev.lsr.recorder.log.RunLogClosedException;
import dev.lsr.recorder.log.RunLogFailure;

/** The run sessions' view of the {@link RunLog}: appends, and tells a fenced log from a closed one. */
final class LogAppender implements RunAppender {

    private final RunLog runLog;

    LogAppender(RunLog runLog) {
        this.runLog = runLog;
    }

    @Override
    public void append(ChunkLogRecord record, RunState stateAfter) {
        try {
            runLog.append(record, stateAfter);
        } catch (RunLogClosedException e) {
            boolean fenced = runLog.failure()
                    .map(f -> f.kind() == RunLogFailure.Kind.FENCED)
                    .orElse(false);
            throw new AppenderClosedException(e.getMessage(), fenced, e);
        }
    }
}
