package dev.lsr.recorder.log;

/**
 * The run log could not start: the topics do not fit (partition counts differ, the checkpoint topic is
 * not compacted), Kafka could not be reached in time, or it refused the transactional producers.
 */
public final class RunLogStartException extends RunLogException {

    private static final long serialVersionUID = 1L;

    public RunLogStartException(String message) {
        super(message);
    }

    public RunLogStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
