package dev.lsr.sim.internal.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;

/**
 * Byte-level text operations on SSE frames, exactly as the Letta Redis reader does them on the raw
 * text: substitute {@code "run_id":null} and {@code "seq_id":null}, and find the first numeric
 * {@code "seq_id"} (what the keepalive wrapper repeats). Works on bytes so that a frame with invalid
 * UTF-8 passes through untouched.
 */
public final class FrameText {

    private static final byte[] RUN_ID_NULL = "\"run_id\":null".getBytes(UTF_8);
    private static final byte[] SEQ_ID_NULL = "\"seq_id\":null".getBytes(UTF_8);
    private static final byte[] SEQ_ID_KEY = "\"seq_id\":".getBytes(UTF_8);

    private FrameText() {}

    /** Fills {@code "run_id":null} with the run id and {@code "seq_id":null} with the seq (every occurrence). */
    public static byte[] fillNulls(byte[] frame, String runId, long seq) {
        byte[] withRun = replaceAll(frame, RUN_ID_NULL, ("\"run_id\":\"" + runId + "\"").getBytes(UTF_8));
        return replaceAll(withRun, SEQ_ID_NULL, ("\"seq_id\":" + seq).getBytes(UTF_8));
    }

    /** Fills only {@code "run_id":null} (foreground streams keep {@code seq_id} null). */
    public static byte[] fillRunId(byte[] frame, String runId) {
        return replaceAll(frame, RUN_ID_NULL, ("\"run_id\":\"" + runId + "\"").getBytes(UTF_8));
    }

    /** The first numeric {@code "seq_id"} value in the frame (optional spaces after the colon), or -1. */
    public static long firstSeqId(byte[] frame) {
        int from = 0;
        while (true) {
            int at = indexOf(frame, SEQ_ID_KEY, from);
            if (at < 0) {
                return -1;
            }
            int i = at + SEQ_ID_KEY.length;
            while (i < frame.length && frame[i] == ' ') {
                i++;
            }
            long value = 0;
            int digits = 0;
            while (i < frame.length && frame[i] >= '0' && frame[i] <= '9' && digits < 18) {
                value = value * 10 + (frame[i] - '0');
                i++;
                digits++;
            }
            if (digits > 0) {
                return value;
            }
            from = at + 1;
        }
    }

    static byte[] replaceAll(byte[] source, byte[] target, byte[] replacement) {
        int at = indexOf(source, target, 0);
        if (at < 0) {
            return source;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(source.length + 16);
        int from = 0;
        while (at >= 0) {
            out.write(source, from, at - from);
            out.writeBytes(replacement);
            from = at + target.length;
            at = indexOf(source, target, from);
        }
        out.write(source, from, source.length - from);
        return out.toByteArray();
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(from, 0); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
