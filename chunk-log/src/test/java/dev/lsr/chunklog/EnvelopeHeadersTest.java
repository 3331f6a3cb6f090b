package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogFormat.Headers;
import java.time.Instant;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class EnvelopeHeadersTest {

    private static final Instant RECEIVED = Instant.parse("2026-03-14T17:24:20.011937Z");

    @Test
    void chunkEnvelopeRoundTripsThroughHeaders() {
        Envelope envelope = Envelope.chunk(
                "http://letta.local:8283", "run-1", new Position(26, 2), "error", RECEIVED, "agent-1", "conv-1");
        Envelope read = EnvelopeHeaders.read(EnvelopeHeaders.write(envelope));
        assertEquals(envelope, read);
        assertEquals("run-1/26.2", read.id());
    }

    @Test
    void writesCloudEventsBinaryModeAttributes() {
        RecordHeaders headers =
                EnvelopeHeaders.write(Envelope.chunk("src", "run-1", Position.ofSeq(3), null, RECEIVED, null, null));
        assertEquals("1.0", EnvelopeHeaders.get(headers, Headers.SPEC_VERSION));
        assertEquals("com.letta.stream.chunk", EnvelopeHeaders.get(headers, Headers.TYPE));
        assertEquals("run-1", EnvelopeHeaders.get(headers, Headers.SUBJECT));
        assertEquals("application/json", EnvelopeHeaders.get(headers, Headers.CONTENT_TYPE));
        assertEquals("1", EnvelopeHeaders.get(headers, Headers.FORMAT_VERSION));
        assertNull(EnvelopeHeaders.get(headers, Headers.SSE_EVENT), "absent optional attributes are not written");
        assertNull(EnvelopeHeaders.get(headers, Headers.AGENT_ID));
    }

    @Test
    void newerFormatVersionIsReportedAsSuch() {
        RecordHeaders headers =
                EnvelopeHeaders.write(Envelope.chunk("src", "run-1", Position.ofSeq(3), null, RECEIVED, null, null));
        headers.remove(Headers.FORMAT_VERSION);
        headers.add(Headers.FORMAT_VERSION, "2".getBytes(UTF_8));
        NewerFormatException e = assertThrows(NewerFormatException.class, () -> EnvelopeHeaders.read(headers));
        assertEquals(2, e.version());
    }

    @Test
    void missingOrBadHeadersAreUnreadableWithTheReason() {
        RecordHeaders none = new RecordHeaders();
        assertTrue(assertThrows(UnreadableRecordException.class, () -> EnvelopeHeaders.read(none))
                .getMessage()
                .contains(Headers.FORMAT_VERSION));

        RecordHeaders unknownType =
                EnvelopeHeaders.write(Envelope.chunk("src", "run-1", Position.ofSeq(3), null, RECEIVED, null, null));
        unknownType.remove(Headers.TYPE);
        unknownType.add(Headers.TYPE, "com.example.other".getBytes(UTF_8));
        assertTrue(assertThrows(UnreadableRecordException.class, () -> EnvelopeHeaders.read(unknownType))
                .getMessage()
                .contains("com.example.other"));

        RecordHeaders badPosition =
                EnvelopeHeaders.write(Envelope.chunk("src", "run-1", Position.ofSeq(3), null, RECEIVED, null, null));
        badPosition.remove(Headers.POSITION);
        badPosition.add(Headers.POSITION, "three".getBytes(UTF_8));
        assertTrue(assertThrows(UnreadableRecordException.class, () -> EnvelopeHeaders.read(badPosition))
                .getMessage()
                .contains(Headers.POSITION));
    }
}
