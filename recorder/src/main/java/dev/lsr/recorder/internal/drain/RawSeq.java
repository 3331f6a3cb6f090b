package dev.lsr.recorder.internal.drain;

/**
 * Finds a {@code "seq_id": <digits>} in bytes that are not valid JSON, the way the server's keepalive
 * wrapper finds it in raw text: so a rejected frame still takes the position of its seq.
 */
final class RawSeq {

    private static final byte[] KEY = {'"', 's', 'e', 'q', '_', 'i', 'd', '"'};

    private RawSeq() {
    }

    /** The first {@code seq_id} number in the bytes, or null. */
    static Long find(byte[] bytes) {
        outer:
        for (int i = 0; i + KEY.length < bytes.length; i++) {
            for (int k = 0; k < KEY.length; k++) {
                if (bytes[i + k] != KEY[k]) {
                    continue outer;
                }
            }
            int j = skipSpaces(bytes, i + KEY.length);
            if (j >= bytes.length || bytes[j] != ':') {
                continue;
            }
            j = skipSpaces(bytes, j + 1);
            long value = 0;
            int digits = 0;
            while (j < bytes.length && bytes[j] >= '0' && bytes[j] <= '9' && digits < 18) {
                value = value * 10 + (bytes[j++] - '0');
                digits++;
            }
            return digits > 0 ? value : null;
        }
        return null;
    }

    private static int skipSpaces(byte[] bytes, int from) {
        int j = from;
        while (j < bytes.length && bytes[j] == ' ') {
            j++;
        }
        return j;
    }
}
