package dev.lsr.consumer.projection.lettacode;

/**
 * How the buffers are built.
 *
 * @param tokenStreamingEnabled Letta Code's {@code buffers.tokenStreamingEnabled}: split long assistant
 *                              text at paragraph boundaries into finished {@code -split-N} lines (a
 *                              rendering device; off for canonical reconstruction)
 * @param runBoundary           what happens between two runs of a conversation
 */
public record Options(boolean tokenStreamingEnabled, RunBoundary runBoundary) {

    /** Between runs of one session. */
    public enum RunBoundary {
        /**
         * As Letta Code's conversation loop starts a turn: clear {@code approvalsPending} and
         * {@code interrupted}; promote server tool calls whose arguments are complete to {@code running};
         * after a {@code requires_approval} run, finish the approval lines (the client executed or denied
         * them; the result is not in the stream); otherwise cancel incomplete tools ("Cancelled").
         */
        LETTA_CODE_TURN,
        /** Nothing between runs: the drains of the next run continue on the buffers as they are. */
        NONE
    }

    public Options {
        java.util.Objects.requireNonNull(runBoundary, "runBoundary");
    }

    /** Canonical reconstruction: no splitting, Letta Code turn boundaries. */
    public static Options defaults() {
        return new Options(false, RunBoundary.LETTA_CODE_TURN);
    }

    public Options withTokenStreaming(boolean enabled) {
        return new Options(enabled, runBoundary);
    }

    public Options withRunBoundary(RunBoundary boundary) {
        return new Options(tokenStreamingEnabled, boundary);
    }
}
