package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogFormat.Headers;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;

/**
 * The read path of {@link EnvelopeHeaders#read}: one pass over the headers that copies only the values
 * an {@link Envelope} holds (spec version and content type are never read; names are compared as bytes,
 * see {@link HeaderKeys}), then decodes them with
 * fast paths for the forms the writer produces (type compared as bytes, position and time parsed from
 * ASCII) and the general parsers for anything else, so errors and edge cases read as before.
 */
final class EnvelopeDecoder {

    private static final RecordType[] TYPES = RecordType.values();
    private static final byte[][] TYPE_BYTES = Arrays.stream(TYPES)
            .map(type -> type.cloudEventType().getBytes(UTF_8))
            .toArray(byte[][]::new);

    private static final int VERSION = 0;
    private static final int TYPE = 1;
    private static final int POSITION = 2;
    private static final int TIME = 3;
    private static final int ID = 4;
    private static final int SOURCE = 5;
    private static final int SUBJECT = 6;
    private static final int SSE_EVENT = 7;
    private static final int AGENT_ID = 8;
    private static final int CONVERSATION_ID = 9;
    /** The headers an envelope holds, by slot (spec version and content type are never read). */
    private static final HeaderKeys NEEDED = new HeaderKeys(
            Headers.FORMAT_VERSION,
            Headers.TYPE,
            Headers.POSITION,
            Headers.TIME,
            Headers.ID,
            Headers.SOURCE,
            Headers.SUBJECT,
            Headers.SSE_EVENT,
            Headers.AGENT_ID,
            Headers.CONVERSATION_ID);

    private final byte[][] values = new byte[10][];

    private EnvelopeDecoder() {}

    static Envelope decode(Iterable<Header> headers) {
        EnvelopeDecoder decoder = new EnvelopeDecoder();
        for (Header header : headers) {
            decoder.take(header);
        }
        return decoder.envelope();
    }

    /** Keeps the last non-null value of each header an envelope needs (as {@link EnvelopeHeaders#get} does). */
    private void take(Header header) {
        int slot = NEEDED.slotOf(header);
        if (slot >= 0) {
            byte[] value = header.value();
            if (value != null) {
                values[slot] = value;
            }
        }
    }

    private Envelope envelope() {
        int formatVersion = formatVersion();
        if (formatVersion > ChunkLogFormat.VERSION) {
            throw new NewerFormatException(formatVersion);
        }
        RecordType recordType = recordType(require(TYPE, Headers.TYPE));
        Position parsedPosition = position(require(POSITION, Headers.POSITION));
        Instant receivedAt = time(require(TIME, Headers.TIME));
        return new Envelope(
                formatVersion,
                recordType,
                text(require(ID, Headers.ID)),
                text(require(SOURCE, Headers.SOURCE)),
                text(require(SUBJECT, Headers.SUBJECT)),
                parsedPosition,
                text(values[SSE_EVENT]),
                receivedAt,
                text(values[AGENT_ID]),
                text(values[CONVERSATION_ID]));
    }

    private int formatVersion() {
        byte[] version = values[VERSION];
        if (version == null) {
            throw new UnreadableRecordException(
                    "missing " + Headers.FORMAT_VERSION + " header (not a chunk-log record)");
        }
        if (version.length == 1 && version[0] >= '1' && version[0] <= '9') {
            return version[0] - '0';
        }
        // versions start at 1, written as plain digits: "0", "-1", "+1" or "01" is no version any writer wrote
        String text = text(version);
        if (!text.isEmpty()
                && text.charAt(0) >= '1'
                && text.charAt(0) <= '9'
                && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new UnreadableRecordException("bad " + Headers.FORMAT_VERSION + " header '" + text + "'", e);
            }
        }
        throw new UnreadableRecordException("bad " + Headers.FORMAT_VERSION + " header '" + text + "'");
    }

    private static RecordType recordType(byte[] value) {
        for (int i = 0; i < TYPES.length; i++) {
            if (Arrays.equals(TYPE_BYTES[i], value)) {
                return TYPES[i];
            }
        }
        throw new UnreadableRecordException("unknown record type '" + text(value) + "'");
    }

    private static Position position(byte[] value) {
        Position fast = AsciiFields.position(value);
        if (fast != null) {
            return fast;
        }
        try {
            return Position.parse(text(value));
        } catch (IllegalArgumentException e) {
            throw new UnreadableRecordException("bad " + Headers.POSITION + " header: " + e.getMessage(), e);
        }
    }

    private static Instant time(byte[] value) {
        Instant fast = AsciiFields.instant(value);
        if (fast != null) {
            return fast;
        }
        String text = text(value);
        if (!text.isEmpty() && (text.charAt(0) == '+' || text.charAt(0) == '-')) {
            // Instant.parse takes expanded years; RFC 3339 (CloudEvents' time) has four-digit years only
            throw new UnreadableRecordException("bad " + Headers.TIME + " header: '" + text
                    + "' is no RFC 3339 time (its year has not four digits)");
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new UnreadableRecordException("bad " + Headers.TIME + " header: " + e.getMessage(), e);
        }
    }

    private byte[] require(int slot, String name) {
        byte[] value = values[slot];
        if (value == null) {
            throw new UnreadableRecordException("missing " + name + " header");
        }
        return value;
    }

    private static String text(byte[] value) {
        return value == null ? null : new String(value, UTF_8);
    }

    /** Parsers for the exact ASCII forms the writer produces; null for anything else (the caller falls back). */
    static final class AsciiFields {

        private AsciiFields() {}

        /** {@code <seq>} or {@code <seq>.<sub>}, decimal digits only, as {@link Position#toString()} writes. */
        static Position position(byte[] value) {
            int dot = -1;
            for (int i = 0; i < value.length; i++) {
                if (value[i] == '.' && dot < 0) {
                    dot = i;
                } else if (value[i] < '0' || value[i] > '9') {
                    return null;
                }
            }
            int seqEnd = dot < 0 ? value.length : dot;
            if (seqEnd == 0
                    || seqEnd > 18
                    || (dot >= 0 && (value.length - dot - 1 == 0 || value.length - dot - 1 > 9))) {
                return null;
            }
            long seq = digits(value, 0, seqEnd);
            if (dot < 0) {
                return Position.ofSeq(seq);
            }
            try {
                return new Position(seq, (int) digits(value, dot + 1, value.length));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        /**
         * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with a four-digit year, the form {@link Instant#toString()}
         * writes for the years a recorder lives in.
         */
        static Instant instant(byte[] v) {
            int n = v.length;
            if (n < 20
                    || v[n - 1] != 'Z'
                    || v[4] != '-'
                    || v[7] != '-'
                    || v[10] != 'T'
                    || v[13] != ':'
                    || v[16] != ':') {
                return null;
            }
            int year = decimal(v, 0, 4);
            int month = decimal(v, 5, 7);
            int day = decimal(v, 8, 10);
            int hour = decimal(v, 11, 13);
            int minute = decimal(v, 14, 16);
            int second = decimal(v, 17, 19);
            if (year < 0
                    || month < 0
                    || day < 0
                    || hour < 0
                    || hour > 23
                    || minute < 0
                    || minute > 59
                    || second < 0
                    || second > 59) {
                return null;
            }
            int nanos = 0;
            if (n > 20) {
                int fractionDigits = n - 21;
                if (v[19] != '.' || fractionDigits < 1 || fractionDigits > 9) {
                    return null;
                }
                int fraction = decimal(v, 20, n - 1);
                if (fraction < 0) {
                    return null;
                }
                nanos = fraction;
                for (int i = fractionDigits; i < 9; i++) {
                    nanos *= 10;
                }
            }
            long epochDay;
            try {
                epochDay = LocalDate.of(year, month, day).toEpochDay();
            } catch (DateTimeException e) {
                return null;
            }
            return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
        }

        /** The decimal number in {@code [from, to)}, or -1 when a byte there is not a digit. */
        private static int decimal(byte[] v, int from, int to) {
            int result = 0;
            for (int i = from; i < to; i++) {
                int digit = v[i] - '0';
                if (digit < 0 || digit > 9) {
                    return -1;
                }
                result = result * 10 + digit;
            }
            return result;
        }

        private static long digits(byte[] v, int from, int to) {
            long result = 0;
            for (int i = from; i < to; i++) {
                result = result * 10 + (v[i] - '0');
            }
            return result;
        }
    }
}
