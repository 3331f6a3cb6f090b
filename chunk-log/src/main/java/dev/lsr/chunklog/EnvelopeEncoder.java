package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogFormat.Headers;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The write side of {@link EnvelopeHeaders}, made cheap for the recorder's hot path without changing a
 * byte on the wire: the headers whose value never changes (spec version, content type, format version,
 * one per record type, and the recorder's source) are built once and shared by every record, the run
 * id is encoded once for the key and {@code ce_subject}, {@code ce_time} is written straight to ASCII
 * ({@link IsoInstant}), and the header array is sized up front. Shared headers hold shared arrays: a
 * produced record's header values must never be modified (Kafka does not).
 */
final class EnvelopeEncoder {

    private static final Header SPEC_VERSION = header(Headers.SPEC_VERSION, ChunkLogFormat.CLOUDEVENTS_SPEC_VERSION);
    private static final Header CONTENT_TYPE = header(Headers.CONTENT_TYPE, ChunkLogFormat.CONTENT_TYPE_JSON);
    private static final Header CURRENT_FORMAT =
            header(Headers.FORMAT_VERSION, Integer.toString(ChunkLogFormat.VERSION));
    private static final Map<RecordType, Header> TYPES = types();
    private static final int MAX_HEADERS = 12;

    /** The last {@code ce_source} header built: a recorder writes one source, so this is nearly always a hit. */
    private static volatile CachedSource lastSource = new CachedSource("", header(Headers.SOURCE, ""));

    private EnvelopeEncoder() {}

    /** The envelope's headers, in the contract's order; {@code runId} is the UTF-8 of {@link Envelope#runId()}. */
    static RecordHeaders headers(Envelope envelope, byte[] runId) {
        Header[] headers = new Header[MAX_HEADERS];
        int n = 0;
        headers[n++] = SPEC_VERSION;
        headers[n++] = header(Headers.ID, envelope.id());
        headers[n++] = source(envelope.source());
        headers[n++] = TYPES.get(envelope.type());
        headers[n++] = new RecordHeader(Headers.TIME, IsoInstant.bytes(envelope.receivedAt()));
        headers[n++] = new RecordHeader(Headers.SUBJECT, runId);
        headers[n++] = CONTENT_TYPE;
        headers[n++] = envelope.formatVersion() == ChunkLogFormat.VERSION
                ? CURRENT_FORMAT
                : header(Headers.FORMAT_VERSION, Integer.toString(envelope.formatVersion()));
        headers[n++] = header(Headers.POSITION, envelope.position().toString());
        n = addIfPresent(headers, n, Headers.SSE_EVENT, envelope.sseEvent());
        n = addIfPresent(headers, n, Headers.AGENT_ID, envelope.agentId());
        n = addIfPresent(headers, n, Headers.CONVERSATION_ID, envelope.conversationId());
        return new RecordHeaders(n == MAX_HEADERS ? headers : Arrays.copyOf(headers, n));
    }

    private static Header source(String source) {
        CachedSource last = lastSource;
        if (last.text().equals(source)) {
            return last.header();
        }
        CachedSource built = new CachedSource(source, header(Headers.SOURCE, source));
        lastSource = built;
        return built.header();
    }

    private static int addIfPresent(Header[] headers, int n, String name, String value) {
        if (value == null) {
            return n;
        }
        headers[n] = header(name, value);
        return n + 1;
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(UTF_8));
    }

    private static Map<RecordType, Header> types() {
        Map<RecordType, Header> types = new EnumMap<>(RecordType.class);
        for (RecordType type : RecordType.values()) {
            types.put(type, header(Headers.TYPE, type.cloudEventType()));
        }
        return types;
    }

    /** A header and the text it was encoded from (compared without decoding). */
    private record CachedSource(String text, Header header) {}
}
