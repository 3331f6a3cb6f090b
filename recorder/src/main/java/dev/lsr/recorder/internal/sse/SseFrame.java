package dev.lsr.recorder.internal.sse;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * One server-sent event as received: its {@code event:} name (null when the frame had none) and its
 * {@code data:} payload exactly as sent (several {@code data:} lines joined with {@code \n}).
 *
 * <p>An oversized frame keeps only the first {@link SseFrameReader#PREFIX_BYTES} bytes of its
 * payload in {@code data}; {@code sizeBytes} is always the full payload size.
 *
 * @param event         the event name, or null
 * @param data          the payload bytes (owned by this frame; do not modify)
 * @param sizeBytes     the payload size as sent, in bytes
 * @param oversizedSeq  for an oversized frame, the {@link RawSeq} of the whole payload as it streamed
 *                      past (the cut {@code data} may not reach it); null otherwise
 */
public record SseFrame(String event, byte[] data, int sizeBytes, Long oversizedSeq) {

    /** A frame with what is known of it: an oversized one's seq is looked for in its kept prefix. */
    public SseFrame(String event, byte[] data, int sizeBytes) {
        this(event, data, sizeBytes, sizeBytes > data.length ? RawSeq.find(data) : null);
    }

    /** The {@code data: [DONE]} terminator. */
    public static final SseFrame DONE = new SseFrame(null, "[DONE]".getBytes(UTF_8), 6);

    public boolean isDone() {
        return this == DONE;
    }

    /** True when the payload was larger than the reader's limit and was cut to a prefix. */
    public boolean isOversized() {
        return sizeBytes > data.length;
    }

    /**
     * The first {@code "seq_id": n} in the payload's raw bytes, for a frame that cannot be read as
     * JSON; for an oversized frame it is looked for in the whole payload, not just the kept prefix.
     */
    public Long rawSeq() {
        return isOversized() ? oversizedSeq : RawSeq.find(data);
    }

    /** True for an {@code event: error} frame: the server closes the connection after it. */
    public boolean isError() {
        return "error".equals(event);
    }

    @Override
    public String toString() {
        return "SseFrame[event=" + event + ", sizeBytes=" + sizeBytes + "]";
    }
}
