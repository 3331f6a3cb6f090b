package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.chunklog.ChunkLogFormat.Headers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** The cheap writer must give exactly the headers of the plain one: same names, order and bytes. */
class EnvelopeEncoderTest {

    @Test
    void writesTheSameHeadersAsThePlainEncoding() {
        Random random = new Random(42);
        String[] sources = {"http://127.0.0.1:8283", "https://letta.example/api", "src"};
        for (int i = 0; i < 2_000; i++) {
            RecordType type = RecordType.values()[random.nextInt(RecordType.values().length)];
            String runId = "run-" + Long.toHexString(random.nextLong());
            Position position = new Position(random.nextInt(100_000), random.nextInt(3));
            Envelope envelope = new Envelope(
                    random.nextInt(10) == 0 ? 0 : ChunkLogFormat.VERSION,
                    type,
                    runId + "/" + position,
                    sources[random.nextInt(sources.length)],
                    runId,
                    position,
                    random.nextBoolean() ? null : "error",
                    randomInstant(random),
                    random.nextBoolean() ? null : "agent-" + i,
                    random.nextBoolean() ? null : "conv-é-" + i);

            assertEquals(plain(envelope), asList(EnvelopeHeaders.write(envelope)), envelope.toString());
            var produced = new ChunkLogRecord(envelope, new byte[] {'{', '}'}).toProducerRecord("t", null);
            assertEquals(plain(envelope), asList(produced.headers()));
            assertArrayEquals(runId.getBytes(UTF_8), produced.key());
        }
    }

    @Test
    void timeIsInstantToStringInAscii() {
        Random random = new Random(7);
        List<Instant> instants = new ArrayList<>(List.of(
                Instant.EPOCH,
                Instant.parse("2026-03-14T17:24:20.011937Z"),
                Instant.parse("2024-02-29T23:59:59.999999999Z"),
                Instant.parse("2000-03-01T00:00:00.100Z"),
                Instant.parse("1969-12-31T23:59:59.000001Z"),
                Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.5Z"),
                Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("-0001-12-31T00:00:00Z"),
                Instant.MIN,
                Instant.MAX));
        for (int i = 0; i < 100_000; i++) {
            instants.add(randomInstant(random));
        }
        for (Instant instant : instants) {
            assertEquals(instant.toString(), new String(IsoInstant.bytes(instant), UTF_8));
        }
    }

    private static Instant randomInstant(Random random) {
        long seconds = random.nextLong(-70_000_000_000L, 260_000_000_000L);
        int nanos = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** The straightforward encoding the contract describes, one String per header. */
    private static List<String> plain(Envelope envelope) {
        List<String> headers = new ArrayList<>();
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

    private static void put(List<String> headers, String name, String value) {
        if (value != null) {
            headers.add(name + "=" + HexFormat.of().formatHex(value.getBytes(UTF_8)));
        }
    }

    private static List<String> asList(Iterable<Header> headers) {
        List<String> list = new ArrayList<>();
        for (Header header : headers) {
            list.add(header.key() + "=" + HexFormat.of().formatHex(header.value()));
        }
        return list;
    }
}
