package dev.lsr.chunklog;

/** Checks that bytes are well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). */
public final class Utf8 {

    private Utf8() {}

    /** True when every byte of {@code bytes} belongs to a well-formed UTF-8 sequence. */
    public static boolean isValid(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            if (bytes[i] >= 0) {
                i++;
                continue;
            }
            int length = sequenceLength(bytes, i, n);
            if (length < 0) {
                return false;
            }
            i += length;
        }
        return true;
    }

    /**
     * The length of the well-formed multi-byte sequence that starts at {@code i} and ends before
     * {@code end}, or -1 when there is none ({@code bytes[i]} must not be ASCII).
     */
    static int sequenceLength(byte[] bytes, int i, int end) {
        int lead = bytes[i] & 0xFF;
        if (lead < 0xC2) {
            return -1;
        }
        if (lead < 0xE0) {
            return i + 1 < end && continuation(bytes[i + 1]) ? 2 : -1;
        }
        if (lead < 0xF0) {
            if (i + 2 >= end) {
                return -1;
            }
            int second = bytes[i + 1] & 0xFF;
            int low = lead == 0xE0 ? 0xA0 : 0x80;
            int high = lead == 0xED ? 0x9F : 0xBF;
            return second >= low && second <= high && continuation(bytes[i + 2]) ? 3 : -1;
        }
        if (lead <= 0xF4) {
            if (i + 3 >= end) {
                return -1;
            }
            int second = bytes[i + 1] & 0xFF;
            int low = lead == 0xF0 ? 0x90 : 0x80;
            int high = lead == 0xF4 ? 0x8F : 0xBF;
            return second >= low && second <= high && continuation(bytes[i + 2]) && continuation(bytes[i + 3]) ? 4 : -1;
        }
        return -1;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
