package dev.lsr.sim.internal.store;

/** What a stored frame is, as far as the run's lifecycle cares. */
public enum FrameKind {
    /** A {@code ping} chunk (the initial run-id ping, or a recorded keepalive). */
    PING,
    /** A message chunk (reasoning, assistant, tool call, approval, tool return, event, summary, ...). */
    MESSAGE,
    /** A {@code stop_reason} chunk. */
    STOP_REASON,
    /** A {@code usage_statistics} chunk. */
    USAGE,
    /** An {@code event: error} frame. */
    ERROR,
    /** The {@code data: [DONE]} terminator. */
    DONE,
    /** Anything else (a deliberately malformed, oversized or invalid-UTF-8 frame). */
    OTHER
}
