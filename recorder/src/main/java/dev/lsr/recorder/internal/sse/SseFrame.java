package dev.lsr.recorder.internal.sse;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * One server-sent event as received: its {@code event:} name (null when the frame had none) and its
 * {@code data:} payload exactly as sent (several {@code data:} lines joined with {@code \n}).
 *
 * <p>An oversized frame keeps only the first {@link SseFrameReader#PREFIX_BYTES} bytes of its
 * payload in {@code data}; {@code sizeBytes} is always the full payload size.
 *
 * @param event     the event name, or null
 * @param data      the payload bytes (owned by this frame; do not modify)
 * @param sizeBytes the payload size as sent, in bytes
 */
public record SseFrame(String event, byte[] data, int sizeBytes) {

    /** The {@code data: [DONE]} terminator. */
    public static final SseFrame DONE = new SseFrame(null, "[DONE]".getBytes(UTF_8), 6);

    public boolean isDone() {
        return this == DONE;
    }

    /** True when the payload was larger than the reader's limit and was cut to a prefix. */
    public boolean isOversized() {
        return sizeBytes > data.length;
    }

    /** True for an {@code event: error} frame, which ends a Letta run's stream. */
    public boolean isError() {
        return "error".equals(event);
    }

    @Override
    public String toString() {
        return "SseFrame[event=" + event + ", sizeBytes=" + sizeBytes + "]";
    }
}
