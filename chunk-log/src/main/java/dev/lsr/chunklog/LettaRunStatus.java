package dev.lsr.chunklog;

import java.util.Set;

/**
 * Letta's run statuses as its API writes them (protocol §3.5), and the one rule that maps a run's last
 * {@code stop_reason} to its status (§2.12): the consumer's summaries, its CLI and the replay server's
 * Run objects all take it from here.
 */
public final class LettaRunStatus {

    public static final String CREATED = "created";
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    /** Every status, e.g. to check a {@code statuses} filter. */
    public static final Set<String> ALL = Set.of(CREATED, RUNNING, COMPLETED, FAILED, CANCELLED);

    private LettaRunStatus() {}

    /** The status a run ends in after this stop reason: completed, cancelled, or failed for every other one. */
    public static String ofStopReason(String stopReason) {
        return switch (stopReason) {
            case "end_turn", "requires_approval", "max_steps", "tool_rule" -> COMPLETED;
            case "cancelled" -> CANCELLED;
            default -> FAILED;
        };
    }

    /** Whether a run in this status has ended. */
    public static boolean isTerminal(String status) {
        return COMPLETED.equals(status) || FAILED.equals(status) || CANCELLED.equals(status);
    }
}
