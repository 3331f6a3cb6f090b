package dev.lsr.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scripted faults of one run: per connection attempt (1 = the first read connection to the run,
 * whether the send's response or a resume), a number of rejected resumes, and stored bad frames.
 */
public final class RunFaults {

    private final Map<Integer, ConnectionFault> byAttempt;
    private final ConnectionFault fromStart;
    private final int rejectedResumes;
    private final int rejectStatus;
    private final List<FrameFault> frameFaults;

    private RunFaults(Builder builder) {
        this.byAttempt = Map.copyOf(builder.byAttempt);
        this.fromStart = builder.fromStart;
        this.rejectedResumes = builder.rejectedResumes;
        this.rejectStatus = builder.rejectStatus;
        this.frameFaults = List.copyOf(builder.frameFaults);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The fault for the n-th read connection (1-based), or null. */
    public ConnectionFault forAttempt(int attempt) {
        return byAttempt.get(attempt);
    }

    /**
     * The fault of a connection that reads the run from its start ({@code starting_after} 0), or
     * null; a fault scripted for the connection's attempt number wins.
     */
    public ConnectionFault forConnection(int attempt, long startingAfter) {
        ConnectionFault byNumber = byAttempt.get(attempt);
        return byNumber != null || startingAfter > 0 ? byNumber : fromStart;
    }

    /** The status for the n-th resume request (1-based) when it is to be rejected, else 0. */
    public int rejectStatusForResume(int resume) {
        return resume <= rejectedResumes ? rejectStatus : 0;
    }

    /** Bad frames to store. */
    public List<FrameFault> frameFaults() {
        return frameFaults;
    }

    /** Builds {@link RunFaults}. */
    public static final class Builder {
        private final Map<Integer, ConnectionFault> byAttempt = new TreeMap<>();
        private final List<FrameFault> frameFaults = new ArrayList<>();
        private ConnectionFault fromStart;
        private int rejectedResumes;
        private int rejectStatus;

        private Builder() {}

        /** A fault on the n-th read connection to the run (1-based). */
        public Builder attempt(int attempt, ConnectionFault fault) {
            if (attempt < 1) {
                throw new IllegalArgumentException("attempts count from 1: " + attempt);
            }
            byAttempt.put(attempt, fault);
            return this;
        }

        /**
         * A streaming fault on every connection that reads the run from its start ({@code
         * starting_after} 0), whatever its attempt number. It lands on an observed event, not on a
         * count of attempts: until a client has read past the fault's frame and resumes after it, each
         * of its connections from the start is cut there, so a client that lost an attempt on a slow
         * machine (it gave up waiting for the headers, or missed the cut) still meets the fault. Needs
         * a cut after at least one frame (a cut at 0 would cut every retry too).
         */
        public Builder fromStart(ConnectionFault fault) {
            if (fault instanceof ConnectionFault.Reject) {
                throw new IllegalArgumentException("fromStart takes streaming faults, not a reject");
            }
            if (fault.afterFrames() < 1) {
                throw new IllegalArgumentException("a fromStart fault needs at least one frame before it: " + fault);
            }
            this.fromStart = fault;
            return this;
        }

        /** Answer the first {@code times} resume requests with {@code status} (429 or 5xx). */
        public Builder rejectResumes(int status, int times) {
            new ConnectionFault.Reject(status);
            this.rejectStatus = status;
            this.rejectedResumes = times;
            return this;
        }

        /** Store a malformed (non-JSON) frame as the {@code position}-th frame. */
        public Builder malformedFrameAt(int position) {
            return frame(new FrameFault.Malformed(position));
        }

        /** Store an oversized chunk of about {@code sizeBytes} as the {@code position}-th frame. */
        public Builder oversizedFrameAt(int position, int sizeBytes) {
            return frame(new FrameFault.Oversized(position, sizeBytes));
        }

        /** Store a chunk with invalid UTF-8 as the {@code position}-th frame. */
        public Builder invalidUtf8FrameAt(int position) {
            return frame(new FrameFault.InvalidUtf8(position));
        }

        /** Store any bad frame. */
        public Builder frame(FrameFault fault) {
            if (fault.position() < 1) {
                throw new IllegalArgumentException("positions count from 1: " + fault.position());
            }
            frameFaults.add(fault);
            return this;
        }

        public RunFaults build() {
            return new RunFaults(this);
        }
    }
}
