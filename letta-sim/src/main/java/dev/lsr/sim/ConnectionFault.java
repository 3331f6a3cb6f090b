package dev.lsr.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * A fault on one read connection of a run (the response to a send, a resume or a replay). Read-side
 * faults never change the run's stored stream.
 */
public sealed interface ConnectionFault {

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

    /** After writing {@code afterFrames} frames, send nothing (no pings either) for {@code duration}. */
    record Stall(int afterFrames, Duration duration) implements ConnectionFault {
        public Stall {
            requireNonNegative(afterFrames);
            Objects.requireNonNull(duration, "duration");
        }
    }

    /** Answer the request with this HTTP status (e.g. 429, 500, 503) and a {@code {"detail": ...}} body. */
    record Reject(int status) implements ConnectionFault {
        public Reject {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("reject status must be 4xx or 5xx: " + status);
            }
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
