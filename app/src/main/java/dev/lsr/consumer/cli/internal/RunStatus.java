package dev.lsr.consumer.cli.internal;

/** The run status a stop reason leads to on the Letta server (protocol §2.12). */
final class RunStatus {

    private RunStatus() {}

    static String of(String stopReason) {
        return switch (stopReason) {
            case "end_turn", "requires_approval", "max_steps", "tool_rule" -> "completed";
            case "cancelled" -> "cancelled";
            default -> "failed";
        };
    }
}
