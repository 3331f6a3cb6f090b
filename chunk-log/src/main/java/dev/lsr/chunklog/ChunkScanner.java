package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The fast path of {@link ChunkPeek#of}: one pass over the bytes that validates a strict subset of JSON
 * and picks the top-level {@code message_type}, {@code run_id} and {@code seq_id} without a parser,
 * a token or a string per field. It answers only when it is sure Jackson would give the same answer;
 * anything else (escapes in a key or in a picked string, an object or array as a picked value, an
 * integer {@code seq_id} of 19 digits or more, deep nesting, long numbers or keys, anything that is not
 * plainly valid) makes it return null, and {@link ChunkPeek} asks Jackson, which has the last word,
 * errors included. {@code ChunkScannerTest} holds it to Jackson's answers over every fixture chunk and
 * their mutations.
 */
final class ChunkScanner {

    /** Deeper documents go to Jackson (whose limit, 1,000 by default, is far above). */
    private static final int MAX_DEPTH = 64;
    /** Longer numbers and keys go to Jackson (its limits: 1,000 characters and 50,000 bytes). */
    private static final int MAX_NUMBER_CHARS = 100;

    private static final int MAX_KEY_BYTES = 1_000;
    /** A {@code seq_id} of at most this many digits fits a long. */
    private static final int MAX_LONG_DIGITS = 18;

    private static final byte[] MESSAGE_TYPE = "message_type".getBytes(UTF_8);
    private static final byte[] RUN_ID = "run_id".getBytes(UTF_8);
    private static final byte[] SEQ_ID = "seq_id".getBytes(UTF_8);
    private static final byte[] TRUE = "true".getBytes(UTF_8);
    private static final byte[] FALSE = "false".getBytes(UTF_8);
    private static final byte[] NULL = "null".getBytes(UTF_8);

    private final byte[] json;
    private final int end;
    private int at;
    private String messageType;
    private String runId;
    private Long seqId;
    /** Set by {@link #number}: whether the last number had no fraction or exponent, and its length. */
    private boolean integral;

    private int numberLength;

    private ChunkScanner(byte[] json) {
        this.json = json;
        this.end = json.length;
    }

    /** The peek, or null when the fast path is not sure (then Jackson decides). */
    static ChunkPeek peek(byte[] json) {
        ChunkScanner scanner = new ChunkScanner(json);
        return scanner.topLevelObject() ? new ChunkPeek(scanner.messageType, scanner.runId, scanner.seqId) : null;
    }

    private boolean topLevelObject() {
        skipWhitespace();
        if (!take('{')) {
            return false;
        }
        skipWhitespace();
        if (take('}')) {
            return onlyWhitespaceLeft();
        }
        while (true) {
            skipWhitespace();
            int keyStart = at + 1;
            int keyEnd = plainString();
            if (keyEnd < 0 || keyEnd - keyStart > MAX_KEY_BYTES) {
                return false;
            }
            skipWhitespace();
            if (!take(':')) {
                return false;
            }
            skipWhitespace();
            if (!field(keyStart, keyEnd)) {
                return false;
            }
            skipWhitespace();
            if (take('}')) {
                return onlyWhitespaceLeft();
            }
            if (!take(',')) {
                return false;
            }
        }
    }

    /** Reads one top-level field's value, keeping it when it is one of the three. */
    private boolean field(int keyStart, int keyEnd) {
        boolean messageTypeKey = equalsKey(keyStart, keyEnd, MESSAGE_TYPE);
        boolean runIdKey = !messageTypeKey && equalsKey(keyStart, keyEnd, RUN_ID);
        boolean seqIdKey = !messageTypeKey && !runIdKey && equalsKey(keyStart, keyEnd, SEQ_ID);
        if (!messageTypeKey && !runIdKey && !seqIdKey) {
            return value(1);
        }
        if (at >= end || json[at] == '{' || json[at] == '[') {
            // Jackson's peek does not skip a container under these names: its answer is its own.
            return false;
        }
        if (seqIdKey) {
            if (json[at] == '-' || isDigit(json[at])) {
                int start = at;
                if (!number()) {
                    return false;
                }
                if (!integral) {
                    seqId = null;
                    return true;
                }
                int digits = numberLength - (json[start] == '-' ? 1 : 0);
                if (digits > MAX_LONG_DIGITS) {
                    return false;
                }
                seqId = parseLong(start, numberLength);
                return true;
            }
            seqId = null;
            return value(1);
        }
        String text = null;
        if (json[at] == '"') {
            int start = at + 1;
            int close = plainString();
            if (close < 0) {
                return false;
            }
            text = new String(json, start, close - start, UTF_8);
        } else if (!value(1)) {
            return false;
        }
        if (messageTypeKey) {
            messageType = text;
        } else {
            runId = text;
        }
        return true;
    }

    /** Skips any JSON value, validating it. */
    private boolean value(int depth) {
        if (at >= end) {
            return false;
        }
        return switch (json[at]) {
            case '"' -> string();
            case '{' -> depth < MAX_DEPTH && object(depth + 1);
            case '[' -> depth < MAX_DEPTH && array(depth + 1);
            case 't' -> literal(TRUE);
            case 'f' -> literal(FALSE);
            case 'n' -> literal(NULL);
            default -> (json[at] == '-' || isDigit(json[at])) && number();
        };
    }

    private boolean object(int depth) {
        at++;
        skipWhitespace();
        if (take('}')) {
            return true;
        }
        while (true) {
            skipWhitespace();
            int keyStart = at;
            if (at >= end || json[at] != '"' || !string() || at - keyStart > MAX_KEY_BYTES) {
                return false; // a long key goes to Jackson, which refuses names beyond its own limit
            }
            skipWhitespace();
            if (!take(':')) {
                return false;
            }
            skipWhitespace();
            if (!value(depth)) {
                return false;
            }
            skipWhitespace();
            if (take('}')) {
                return true;
            }
            if (!take(',')) {
                return false;
            }
        }
    }

    private boolean array(int depth) {
        at++;
        skipWhitespace();
        if (take(']')) {
            return true;
        }
        while (true) {
            skipWhitespace();
            if (!value(depth)) {
                return false;
            }
            skipWhitespace();
            if (take(']')) {
                return true;
            }
            if (!take(',')) {
                return false;
            }
        }
    }

    /**
     * A string without escapes (the bytes between its quotes are its value); returns the index of its
     * closing quote and moves past it, or -1 (an escape, a control character, bad UTF-8, no string).
     */
    private int plainString() {
        if (at >= end || json[at] != '"') {
            return -1;
        }
        int i = at + 1;
        while (i < end) {
            byte b = json[i];
            if (b == '"') {
                at = i + 1;
                return i;
            }
            if (b == '\\' || (b >= 0 && b < 0x20)) {
                return -1;
            }
            if (b < 0) {
                int length = Utf8.sequenceLength(json, i, end);
                if (length < 0) {
                    return -1;
                }
                i += length;
            } else {
                i++;
            }
        }
        return -1;
    }

    /** Any valid string, escapes included; moves past its closing quote. */
    private boolean string() {
        int i = at + 1;
        while (i < end) {
            byte b = json[i];
            if (b == '"') {
                at = i + 1;
                return true;
            }
            if (b == '\\') {
                int escapeLength = escape(i + 1);
                if (escapeLength < 0) {
                    return false;
                }
                i += 1 + escapeLength;
            } else if (b >= 0 && b < 0x20) {
                return false;
            } else if (b < 0) {
                int length = Utf8.sequenceLength(json, i, end);
                if (length < 0) {
                    return false;
                }
                i += length;
            } else {
                i++;
            }
        }
        return false;
    }

    /** The length of a valid escape after its backslash, or -1. */
    private int escape(int i) {
        if (i >= end) {
            return -1;
        }
        return switch (json[i]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> 1;
            case 'u' ->
                i + 4 < end && isHex(json[i + 1]) && isHex(json[i + 2]) && isHex(json[i + 3]) && isHex(json[i + 4])
                        ? 5
                        : -1;
            default -> -1;
        };
    }

    /** A number by JSON's grammar, followed by a byte that may follow a value; sets {@link #integral}. */
    private boolean number() {
        int start = at;
        int i = at;
        if (json[i] == '-') {
            i++;
        }
        if (i >= end) {
            return false;
        }
        if (json[i] == '0') {
            i++;
        } else if (isDigit(json[i])) {
            while (i < end && isDigit(json[i])) {
                i++;
            }
        } else {
            return false;
        }
        integral = true;
        if (i < end && json[i] == '.') {
            integral = false;
            i++;
            int digits = i;
            while (i < end && isDigit(json[i])) {
                i++;
            }
            if (i == digits) {
                return false;
            }
        }
        if (i < end && (json[i] == 'e' || json[i] == 'E')) {
            integral = false;
            i++;
            if (i < end && (json[i] == '+' || json[i] == '-')) {
                i++;
            }
            int digits = i;
            while (i < end && isDigit(json[i])) {
                i++;
            }
            if (i == digits) {
                return false;
            }
        }
        numberLength = i - start;
        if (numberLength > MAX_NUMBER_CHARS || (i < end && !endsValue(json[i]))) {
            return false;
        }
        at = i;
        return true;
    }

    /** An integer of at most {@link #MAX_LONG_DIGITS} digits, validated by {@link #number}. */
    private long parseLong(int start, int length) {
        boolean negative = json[start] == '-';
        long value = 0;
        for (int i = negative ? start + 1 : start; i < start + length; i++) {
            value = value * 10 + (json[i] - '0');
        }
        return negative ? -value : value;
    }

    private boolean literal(byte[] word) {
        if (at + word.length > end) {
            return false;
        }
        for (int k = 0; k < word.length; k++) {
            if (json[at + k] != word[k]) {
                return false;
            }
        }
        int after = at + word.length;
        if (after < end && !endsValue(json[after])) {
            return false;
        }
        at = after;
        return true;
    }

    private boolean equalsKey(int start, int stop, byte[] key) {
        if (stop - start != key.length) {
            return false;
        }
        for (int k = 0; k < key.length; k++) {
            if (json[start + k] != key[k]) {
                return false;
            }
        }
        return true;
    }

    private boolean take(char c) {
        if (at < end && json[at] == c) {
            at++;
            return true;
        }
        return false;
    }

    private void skipWhitespace() {
        while (at < end && isWhitespace(json[at])) {
            at++;
        }
    }

    private boolean onlyWhitespaceLeft() {
        skipWhitespace();
        return at == end;
    }

    private static boolean endsValue(byte b) {
        return b == ',' || b == '}' || b == ']' || isWhitespace(b);
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isHex(byte b) {
        return isDigit(b) || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }
}
