package dev.lsr.sim.internal.gen;

import java.util.Locale;

/** The kinds of run the generator produces (protocol §1.6, §2, §4). */
public enum Shape {
    /** Reasoning then an assistant reply; end_turn. */
    REPLY,
    /** A server tool call, its return after a pause, then a reply in a second step; end_turn. */
    TOOL,
    /** Reasoning, a short reply, then parallel approval requests; requires_approval. */
    APPROVALS,
    /** A tool step, then the provider breaks mid-reply: two stop_reasons and an {@code event: error}. */
    ERROR,
    /** The provider fails before any content: stop_reason llm_api_error and an {@code event: error}. */
    EARLY_ERROR,
    /** Cancelled while a tool call streams: the spaced stop_reason (and [DONE] in background). */
    CANCEL,
    /** A tool step, a compaction (event + summary, or the legacy user_message), then a reply. */
    COMPACTION,
    /** Redacted thinking, reasoning, a slow tool and a long reply with pauses (keepalive pings). */
    LONG;

    /** The shape named in a {@code [sim:<name>]} hint, or null. */
    public static Shape fromHint(String name) {
        String normalized = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Shape shape : values()) {
            if (shape.name().equals(normalized)) {
                return shape;
            }
        }
        return null;
    }
}
