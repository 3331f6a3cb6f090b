package dev.lsr.replay.internal;

import java.util.Set;

/** Letta's run statuses (protocol §3.5) and the one a stop reason leads to (§2.12). */
final class RunStatuses {

    static final Set<String> ALL = Set.of("created", "running", "completed", "failed", "cancelled");

    private RunStatuses() {}

    static boolean isTerminal(String status) {
        return "completed".equals(status) || "failed".equals(status) || "cancelled".equals(status);
    }

    static String ofStopReason(String stopReason) {
        return switch (stopReason) {
            case "end_turn", "requires_approval", "max_steps", "tool_rule" -> "completed";
            case "cancelled" -> "cancelled";
            default -> "failed";
        };
    }
}
