package dev.lsr.consumer.projection.lettacode;

/** How the HTTP body of a drain ended, which decides Letta Code's error path. */
public enum DrainEnd {
    /**
     * From the chunks: an {@code event: error} chunk ends the drain with the SDK's exception; otherwise a
     * drain that saw a stop_reason chunk ended normally and one that did not was dropped (network error).
     */
    INFERRED,
    /** The body ended normally (an error chunk still throws). */
    COMPLETED,
    /** The connection dropped after the last chunk (the read threw). */
    DROPPED
}
