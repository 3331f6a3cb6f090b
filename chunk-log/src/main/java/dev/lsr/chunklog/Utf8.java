package dev.lsr.recorder.internal.sse;

/** Checks that bytes are well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). */
public final class Utf8 {

    private Utf8() {}

    /** True when every byte of {@code bytes} belongs to a well-formed UTF-8 sequence. */
    public static boolean isValid(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            int lead = b & 0xFF;
            if (lead < 0xC2) {
                return false;
            }
            if (lead < 0xE0) {
                if (i + 1 >= n || !continuation(bytes[i + 1])) {
                    return false;
                }
                i += 2;
            } else if (lead < 0xF0) {
                if (i + 2 >= n) {
                    return false;
                }
                int second = bytes[i + 1] & 0xFF;
                int low = lead == 0xE0 ? 0xA0 : 0x80;
                int high = lead == 0xED ? 0x9F : 0xBF;
                if (second < low || second > high || !continuation(bytes[i + 2])) {
                    return false;
                }
                i += 3;
            } else if (lead <= 0xF4) {
                if (i + 3 >= n) {
                    return false;
                }
                int second = bytes[i + 1] & 0xFF;
                int low = lead == 0xF0 ? 0x90 : 0x80;
                int high = lead == 0xF4 ? 0x8F : 0xBF;
                if (second < low || second > high || !continuation(bytes[i + 2]) || !continuation(bytes[i + 3])) {
                    return false;
                }
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
