package dev.lsr.recorder.internal.drain;

/** How one connection to a run's stream ended. */
public sealed interface DrainResult {

    /** The stream reached its end: {@code [DONE]}, or an {@code event: error} frame. */
    record Ended(boolean done) implements DrainResult {
    }

    /**
     * The connection ended before the stream did.
     *
     * @param cause  {@code eof}, {@code io_error} or {@code stall} (the resume record's cause)
     * @param detail what happened, for the log
     */
    record Disconnected(String cause, String detail) implements DrainResult {
        public static final String EOF = "eof";
        public static final String IO_ERROR = "io_error";
        public static final String STALL = "stall";
    }

    /** The recorder is stopping; the run was left where it was. */
    record Stopped() implements DrainResult {
    }
}
