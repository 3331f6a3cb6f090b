package dev.lsr.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * A fault on one read connection of a run (the response to a send, a resume or a replay). Read-side
 * faults never change the run's stored stream.
 */
public sealed interface ConnectionFault {

    /** How many frames the connection writes before the fault (0 for a {@link Reject}: before any). */
    int afterFrames();

    /**
     * After writing {@code afterFrames} frames, end the connection: {@code abrupt} aborts it (the
     * client gets an I/O error, no terminal chunk), otherwise the body ends cleanly (EOF) without
     * the rest of the run.
     */
    record Drop(int afterFrames, boolean abrupt) implements ConnectionFault {
        public Drop {
            requireNonNegative(afterFrames);
        }
    }

    /**
     * After writing {@code afterFrames} frames, what the archived server's cancellation wrapper does on its resume
     * route once it finds the run cancelled: one {@code data: {"message_type": "stop_reason", "stop_reason":
     * "cancelled"}} of its own (no seq, never stored), then the body ends cleanly without the rest of the stream
     * (its {@code [DONE]} included). A resume does not see that frame.
     */
    record CancelledByReader(int afterFrames) implements ConnectionFault {
        public CancelledByReader {
            requireNonNegative(afterFrames);
        }
    }

    /** After writing {@code afterFrames} frames, send nothing (no pings either) for {@code duration}. */
    record Stall(int afterFrames, Duration duration) implements ConnectionFault {
        public Stall {
            requireNonNegative(afterFrames);
            Objects.requireNonNull(duration, "duration");
        }
    }

    /**
     * After writing {@code afterFrames} frames, send one per-connection {@code event: error} frame of
     * this shape and end the body cleanly: the reader was cut, the run goes on (a Letta Cloud deploy, or
     * the response writer's own exception). Never stored, so a resume does not see it.
     */
    record ErrorFrame(int afterFrames, ErrorShape shape) implements ConnectionFault {
        public ErrorFrame {
            requireNonNegative(afterFrames);
            Objects.requireNonNull(shape, "shape");
        }
    }

    /** The per-connection error frames servers send when they cut a reader while the run goes on. */
    enum ErrorShape {
        /**
         * Letta Cloud's deploy interruption: an {@code error_message} with {@code error_code
         * cloud_api_deployment_interrupted}, {@code status_code} 503, {@code retryable} true, and the
         * {@code seq_id} of the last frame the connection showed (a repeat, like a keepalive ping's;
         * null before any).
         */
        CLOUD_INTERRUPTED,
        /** The same {@code error_message} with {@code "seq_id": null}. */
        CLOUD_INTERRUPTED_NO_SEQ,
        /**
         * An {@code error_message} of another code ({@code stream_reader_failed}, {@code retryable} true) with
         * {@code "seq_id": null}: a reader of a background stream failing on its own. A stored error shows its seq
         * on a background stream, so this one is the connection's. Only scripted: random faults draw the others.
         */
        CLOUD_READER_FAILED_NO_SEQ,
        /**
         * The legacy server's response writer failing: {@code {"error": "...", "code":
         * "INTERNAL_SERVER_ERROR"}}, no {@code message_type}, no seq.
         */
        LEGACY_WRITER
    }

    /** Answer the request with this HTTP status (e.g. 429, 500, 503) and a {@code {"detail": ...}} body. */
    record Reject(int status) implements ConnectionFault {
        public Reject {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("reject status must be 4xx or 5xx: " + status);
            }
        }

        @Override
        public int afterFrames() {
            return 0;
        }
    }

    /** Abort the connection abruptly after {@code frames} frames. */
    static ConnectionFault dropAfter(int frames) {
        return new Drop(frames, true);
    }

    /** End the body cleanly (EOF, no terminal frame) after {@code frames} frames. */
    static ConnectionFault endAfter(int frames) {
        return new Drop(frames, false);
    }

    /** Stall without pings for {@code duration} after {@code frames} frames. */
    static ConnectionFault stallAfter(int frames, Duration duration) {
        return new Stall(frames, duration);
    }

    /** Send a per-connection error frame of this shape after {@code frames} frames, then end the body. */
    static ConnectionFault errorAfter(int frames, ErrorShape shape) {
        return new ErrorFrame(frames, shape);
    }

    /** Answer with this status instead of streaming. */
    static ConnectionFault reject(int status) {
        return new Reject(status);
    }

    private static void requireNonNegative(int frames) {
        if (frames < 0) {
            throw new IllegalArgumentException("afterFrames must be >= 0: " + frames);
        }
    }
}
