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
    private final int rejectedResumes;
    private final int rejectStatus;
    private final List<FrameFault> frameFaults;

    private RunFaults(Builder builder) {
        this.byAttempt = Map.copyOf(builder.byAttempt);
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
        private int rejectedResumes;
        private int rejectStatus;

        private Builder() {
        }

        /** A fault on the n-th read connection to the run (1-based). */
        public Builder attempt(int attempt, ConnectionFault fault) {
            if (attempt < 1) {
                throw new IllegalArgumentException("attempts count from 1: " + attempt);
            }
            byAttempt.put(attempt, fault);
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
