package dev.lsr.recorder.log;

/**
 * The run log no longer accepts records: it was closed, or a fatal error stopped it (then the message
 * is {@link RunLogFailure#message()}, e.g. {@code fenced: another recorder took over partition 3 of
 * letta.chunks (transactional id lsr-recorder-letta.chunks-3)}). The caller stops draining.
 */
public final class RunLogClosedException extends RunLogException {

    private static final long serialVersionUID = 1L;

    public RunLogClosedException(String message) {
        super(message);
    }

    public RunLogClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
