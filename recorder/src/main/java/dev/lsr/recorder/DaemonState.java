package dev.lsr.recorder;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a {@link RecorderDaemon}: {@code NEW -> STARTING -> RUNNING -> STOPPING -> STOPPED}.
 * A daemon that fails (while starting or running) goes through {@code STOPPING} to release what it
 * started and ends {@code FAILED}. A daemon closed before it ran goes from {@code NEW} to
 * {@code STOPPED}.
 */
public enum DaemonState {
    NEW,
    STARTING,
    RUNNING,
    STOPPING,
    STOPPED,
    FAILED;

    /** The states this one may change to. */
    public Set<DaemonState> successors() {
        return switch (this) {
            case NEW -> EnumSet.of(STARTING, STOPPED);
            case STARTING -> EnumSet.of(RUNNING, STOPPING);
            case RUNNING -> EnumSet.of(STOPPING);
            case STOPPING -> EnumSet.of(STOPPED, FAILED);
            case STOPPED, FAILED -> EnumSet.noneOf(DaemonState.class);
        };
    }

    public boolean isFinal() {
        return this == STOPPED || this == FAILED;
    }
}
