package dev.lsr.sim.internal.store;

import static java.nio.charset.StandardCharsets.UTF_8;

/** Factories for the fixed frames every run may store. */
public final class Frames {

    /** The spaced cancellation stop_reason written by the cancellation wrapper (plain json.dumps). */
    public static final String CANCELLED_STOP_REASON =
            "{\"message_type\": \"stop_reason\", \"stop_reason\": \"cancelled\"}";

    private Frames() {}

    /** {@code data: <json>\n\n}. */
    public static byte[] data(String json) {
        return ("data: " + json + "\n\n").getBytes(UTF_8);
    }

    /** {@code event: error\ndata: <json>\n\n}. */
    public static byte[] error(String json) {
        return ("event: error\ndata: " + json + "\n\n").getBytes(UTF_8);
    }

    /** The {@code [DONE]} terminator, final. */
    public static FrameSpec done() {
        return new FrameSpec(data("[DONE]"), FrameKind.DONE, null, null, true);
    }

    /** The spaced cancelled stop_reason; final only on foreground streams (no [DONE] follows there). */
    public static FrameSpec cancelledStopReason(boolean isFinal) {
        return new FrameSpec(data(CANCELLED_STOP_REASON), FrameKind.STOP_REASON, "cancelled", null, isFinal);
    }
}
