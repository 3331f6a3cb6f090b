package dev.lsr.sim.internal.store;

import java.util.Locale;
import java.util.Set;

/** Letta's RunStatus: exactly these five. */
public enum RunStatus {
    CREATED,
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED;

    private static final Set<String> COMPLETING = Set.of("end_turn", "requires_approval", "max_steps", "tool_rule");

    /** The wire value, e.g. {@code running}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the run still counts as active (created or running). */
    public boolean isActive() {
        return this == CREATED || this == RUNNING;
    }

    /** Parses a wire value; null if unknown. */
    public static RunStatus fromWire(String value) {
        for (RunStatus status : values()) {
            if (status.wire().equals(value)) {
                return status;
            }
        }
        return null;
    }

    /** The terminal status a stop reason leads to (protocol §2.12). */
    public static RunStatus forStopReason(String stopReason) {
        if (stopReason == null) {
            return FAILED;
        }
        if (COMPLETING.contains(stopReason)) {
            return COMPLETED;
        }
        return "cancelled".equals(stopReason) ? CANCELLED : FAILED;
    }
}
