package dev.lsr.recorder.log;

/** Base of the run log's exceptions. Messages never hold client configuration values. */
public class RunLogException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RunLogException(String message) {
        super(message);
    }

    public RunLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
