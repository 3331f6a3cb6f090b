package dev.lsr.recorder.internal.sse;

/**
 * Finds the first {@code "seq_id": <digits>} in bytes that may not be valid JSON, the way the server's
 * keepalive wrapper finds it in raw text: so a frame that cannot be read still shows its seq. The
 * first {@code "seq_id":} decides: a value that is not digits (e.g. {@code null}) means none.
 * Escaped text inside a JSON string ({@code \"seq_id\"}) does not match. Fed byte by byte, so it
 * also scans payloads too large to keep (see {@link SseFrameReader}). Not thread-safe.
 */
public final class RawSeq {

    private static final byte[] KEY = {'"', 's', 'e', 'q', '_', 'i', 'd', '"'};
    private static final int MAX_DIGITS = 18;

    private enum State {
        KEY,
        BEFORE_COLON,
        AFTER_COLON,
        DIGITS,
        DONE
    }

    private State state = State.KEY;
    private int matched;
    private long value;
    private int digits;
    private Long result;

    /** The first {@code seq_id} number in the bytes, or null. */
    public static Long find(byte[] bytes) {
        RawSeq scan = new RawSeq();
        for (int i = 0; i < bytes.length && !scan.done(); i++) {
            scan.feed(bytes[i]);
        }
        return scan.result();
    }

    /** True once the first {@code "seq_id":} was read to its value: more bytes change nothing. */
    public boolean done() {
        return state == State.DONE;
    }

    /** The seq found so far: final once {@link #done()} or at the end of the bytes. */
    public Long result() {
        return state == State.DIGITS && digits > 0 ? Long.valueOf(value) : result;
    }

    /** Reads the next byte. */
    public void feed(byte b) {
        switch (state) {
            case KEY -> {
                if (b == KEY[matched]) {
                    matched++;
                    if (matched == KEY.length) {
                        state = State.BEFORE_COLON;
                    }
                } else {
                    matched = b == KEY[0] ? 1 : 0;
                }
            }
            case BEFORE_COLON -> {
                if (b == ':') {
                    state = State.AFTER_COLON;
                } else if (b != ' ') {
                    state = State.KEY;
                    matched = 0;
                    feed(b);
                }
            }
            case AFTER_COLON -> {
                if (b >= '0' && b <= '9') {
                    state = State.DIGITS;
                    feed(b);
                } else if (b != ' ') {
                    state = State.DONE;
                }
            }
            case DIGITS -> {
                if (b >= '0' && b <= '9' && digits < MAX_DIGITS) {
                    value = value * 10 + (b - '0');
                    digits++;
                } else {
                    result = value;
                    state = State.DONE;
                }
            }
            case DONE -> {}
        }
    }
}
