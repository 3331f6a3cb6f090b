package dev.lsr.recorder.internal.drain;

/** How one connection to a run's stream ended. */
public sealed interface ConnectionEnd {

    /** The stream reached its end: {@code [DONE]}. */
    record Ended() implements ConnectionEnd {}

    /**
     * The server sent an {@code event: error} frame and closed the connection. That alone does not
     * end the run (a Letta Cloud deploy cuts readers this way while the run goes on): the session
     * asks the server.
     */
    record ErrorFrame() implements ConnectionEnd {
        /** The resume record's cause after such a connection. */
        public static final String CAUSE = "error_frame";
    }

    /**
     * The connection ended before the stream did.
     *
     * @param cause  {@code eof}, {@code io_error} or {@code stall} (the resume record's cause)
     * @param detail what happened, for the log
     */
    record Disconnected(String cause, String detail) implements ConnectionEnd {
        public static final String EOF = "eof";
        public static final String IO_ERROR = "io_error";
        public static final String STALL = "stall";
    }

    /** The recorder is stopping; the run was left where it was. */
    record Stopped() implements ConnectionEnd {}
}
