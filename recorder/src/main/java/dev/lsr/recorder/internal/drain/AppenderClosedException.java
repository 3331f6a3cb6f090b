package dev.lsr.recorder.internal.drain;

/** The log takes no more records: it was closed, or another recorder fenced this one. */
public final class AppenderClosedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean fenced;

    public AppenderClosedException(String message, boolean fenced, Throwable cause) {
        super(message, cause);
        this.fenced = fenced;
    }

    /** True when another recorder with the same transactional ids took over. */
    public boolean fenced() {
        return fenced;
    }
}
