package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogFormat.Headers;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Writes an {@link Envelope} as CloudEvents Kafka headers and reads it back. */
public final class EnvelopeHeaders {

    private EnvelopeHeaders() {
    }

    public static RecordHeaders write(Envelope envelope) {
        RecordHeaders headers = new RecordHeaders();
        put(headers, Headers.SPEC_VERSION, ChunkLogFormat.CLOUDEVENTS_SPEC_VERSION);
        put(headers, Headers.ID, envelope.id());
        put(headers, Headers.SOURCE, envelope.source());
        put(headers, Headers.TYPE, envelope.type().cloudEventType());
        put(headers, Headers.TIME, envelope.receivedAt().toString());
        put(headers, Headers.SUBJECT, envelope.runId());
        put(headers, Headers.CONTENT_TYPE, ChunkLogFormat.CONTENT_TYPE_JSON);
        put(headers, Headers.FORMAT_VERSION, Integer.toString(envelope.formatVersion()));
        put(headers, Headers.POSITION, envelope.position().toString());
        put(headers, Headers.SSE_EVENT, envelope.sseEvent());
        put(headers, Headers.AGENT_ID, envelope.agentId());
        put(headers, Headers.CONVERSATION_ID, envelope.conversationId());
        return headers;
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

    private static void put(RecordHeaders headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(UTF_8));
        }
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
