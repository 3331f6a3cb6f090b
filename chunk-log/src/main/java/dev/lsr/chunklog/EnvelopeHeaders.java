package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Writes an {@link Envelope} as CloudEvents Kafka headers and reads it back. */
public final class EnvelopeHeaders {

    private EnvelopeHeaders() {}

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
        return EnvelopeDecoder.decode(headers);
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
