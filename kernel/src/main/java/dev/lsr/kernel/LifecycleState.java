package dev.lsr.kernel;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of everything in the product that starts, runs and stops: the recorder daemon, the run
 * log and the analytics job. {@code CREATED -> STARTING -> RUNNING -> STOPPING -> STOPPED}; closed
 * before it started: {@code CREATED -> STOPPED}.
 *
 * <p>{@link #FAILED} has one meaning everywhere: <em>it stopped because of an error and nothing of it
 * runs any more</em>. It is final, like {@link #STOPPED}, and is reached from {@code STARTING} (the start
 * failed), {@code RUNNING} (it failed while nothing was stopping it) or {@code STOPPING} (it released what
 * it held after a failure, or failed while stopping). Whoever owns the thing says why, once.
 */
public enum LifecycleState {
    CREATED,
    STARTING,
    RUNNING,
    STOPPING,
    STOPPED,
    FAILED;

    /** The states this one may change to. */
    public Set<LifecycleState> successors() {
        return switch (this) {
            case CREATED -> EnumSet.of(STARTING, STOPPED);
            case STARTING -> EnumSet.of(RUNNING, STOPPING, FAILED);
            case RUNNING -> EnumSet.of(STOPPING, FAILED);
            case STOPPING -> EnumSet.of(STOPPED, FAILED);
            case STOPPED, FAILED -> EnumSet.noneOf(LifecycleState.class);
        };
    }

    /** {@link #STOPPED} or {@link #FAILED}: nothing changes any more. */
    public boolean isFinal() {
        return this == STOPPED || this == FAILED;
    }
}
