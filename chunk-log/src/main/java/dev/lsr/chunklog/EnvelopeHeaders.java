package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogFormat.Headers;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Writes an {@link Envelope} as CloudEvents Kafka headers and reads it back. */
public final class EnvelopeHeaders {

    private EnvelopeHeaders() {
    }

    /** The envelope's CloudEvents headers, in the order of {@code docs/record-format.md}. */
    public static RecordHeaders write(Envelope envelope) {
        return EnvelopeEncoder.headers(envelope, envelope.runId().getBytes(UTF_8));
    }

    /**
     * Reads the envelope of a record.
     *
     * @throws NewerFormatException      for a format version this reader does not know
     * @throws UnreadableRecordException for missing or malformed headers or an unknown type
     */
    public static Envelope read(Iterable<Header> headers) {
        String version = get(headers, Headers.FORMAT_VERSION);
        int formatVersion = parseVersion(version);
        if (formatVersion > ChunkLogFormat.VERSION) {
            throw new NewerFormatException(formatVersion);
        }
        String type = require(headers, Headers.TYPE);
        RecordType recordType = RecordType.fromCloudEventType(type)
                .orElseThrow(() -> new UnreadableRecordException("unknown record type '" + type + "'"));
        Position position;
        try {
            position = Position.parse(require(headers, Headers.POSITION));
        } catch (IllegalArgumentException e) {
            throw new UnreadableRecordException("bad " + Headers.POSITION + " header: " + e.getMessage(), e);
        }
        Instant time;
        try {
            time = Instant.parse(require(headers, Headers.TIME));
        } catch (DateTimeParseException e) {
            throw new UnreadableRecordException("bad " + Headers.TIME + " header: " + e.getMessage(), e);
        }
        return new Envelope(formatVersion, recordType, require(headers, Headers.ID), require(headers, Headers.SOURCE),
                require(headers, Headers.SUBJECT), position, get(headers, Headers.SSE_EVENT), time,
                get(headers, Headers.AGENT_ID), get(headers, Headers.CONVERSATION_ID));
    }

    private static int parseVersion(String version) {
        if (version == null) {
            throw new UnreadableRecordException("missing " + Headers.FORMAT_VERSION + " header (not a chunk-log record)");
        }
        try {
            return Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw new UnreadableRecordException("bad " + Headers.FORMAT_VERSION + " header '" + version + "'", e);
        }
    }

    private static String require(Iterable<Header> headers, String name) {
        String value = get(headers, name);
        if (value == null) {
            throw new UnreadableRecordException("missing " + name + " header");
        }
        return value;
    }

    /** The last header of that name, as UTF-8, or null. */
    public static String get(Iterable<Header> headers, String name) {
        String value = null;
        for (Header header : headers) {
            if (header.key().equals(name) && header.value() != null) {
                value = new String(header.value(), UTF_8);
            }
        }
        return value;
    }
}
