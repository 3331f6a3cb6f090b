package dev.lsr.sim.internal.gen;

import java.time.Duration;
import java.time.Instant;

/**
 * What to generate for one run.
 *
 * @param runId the run id
 * @param createdAt creation time (chunk dates start here)
 * @param background background mode: error frames end the stream; cancels end with [DONE]
 * @param includePings whether the run starts with the initial run-id ping
 * @param streamTokens token deltas (true) or one chunk per message (step mode)
 * @param compactionEvents event_message/summary_message (true) or the legacy user_message summary
 * @param chunks about how many content chunks to stream
 * @param frameInterval the simulated time between frames (for chunk dates)
 * @param shape the kind of run
 * @param anthropic Anthropic-style deltas and ids (true) or OpenAI-style
 * @param retries Letta Cloud {@code retry_message} chunks (provider retries) at the start of the run
 */
public record RunPlan(
        String runId,
        Instant createdAt,
        boolean background,
        boolean includePings,
        boolean streamTokens,
        boolean compactionEvents,
        int chunks,
        Duration frameInterval,
        Shape shape,
        boolean anthropic,
        int retries) {

    /** A plan without provider retries. */
    public RunPlan(
            String runId,
            Instant createdAt,
            boolean background,
            boolean includePings,
            boolean streamTokens,
            boolean compactionEvents,
            int chunks,
            Duration frameInterval,
            Shape shape,
            boolean anthropic) {
        this(
                runId,
                createdAt,
                background,
                includePings,
                streamTokens,
                compactionEvents,
                chunks,
                frameInterval,
                shape,
                anthropic,
                0);
    }
}
