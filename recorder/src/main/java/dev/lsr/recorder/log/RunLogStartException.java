package dev.lsr.recorder.log;

/**
 * The run log could not start: the topics do not fit (partition counts differ or changed since the log
 * was created, the checkpoint topic is not compacted, checkpoints were lost), Kafka could not be
 * reached in time, or it refused the transactional producers.
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
