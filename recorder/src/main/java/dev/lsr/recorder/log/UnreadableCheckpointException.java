package dev.lsr.recorder.log;

/**
 * The log holds a checkpoint for this run that this recorder cannot read (written by a newer version,
 * say, before a rollback). What was recorded of the run is unknown here, so the run must not be
 * recorded again from its start: the caller leaves it alone.
 */
public final class UnreadableCheckpointException extends RunLogException {

    private static final long serialVersionUID = 1L;

    private final String runId;

    public UnreadableCheckpointException(String runId, String reason) {
        super("run " + runId + ": its checkpoint is unreadable (" + reason + "); not recording it again");
        this.runId = runId;
    }

    public String runId() {
        return runId;
    }
}
