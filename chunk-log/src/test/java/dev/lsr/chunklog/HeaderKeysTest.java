package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogFormat.Headers;
import java.lang.reflect.Field;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

/** Envelopes read from headers as Kafka parses them from a batch: same result, no header name decoded. */
class HeaderKeysTest {

    private static final Envelope ENVELOPE = Envelope.chunk(
            "http://letta.local:8283",
            "run-1",
            new Position(26, 2),
            "error",
            Instant.parse("2026-03-14T17:24:20.011937Z"),
            "agent-1",
            "conv-1");

    @Test
    void readsAnEnvelopeFromBatchHeadersWithoutDecodingTheirNames() throws Exception {
        Header[] headers = parsedFromBatch(EnvelopeHeaders.write(ENVELOPE).toArray());

        assertEquals(ENVELOPE, EnvelopeHeaders.read(List.of(headers)));

        assertTrue(HeaderKeys.comparesBytes(), "Kafka's RecordHeader no longer has the name buffer this reads");
        Field key = RecordHeader.class.getDeclaredField("key");
        key.setAccessible(true);
        for (Header header : headers) {
            assertNull(key.get(header), "a header name was decoded into a String");
        }
    }

    @Test
    void findsNamesAlsoWhenAlreadyDecodedOrNotABatchHeader() {
        Header[] headers = parsedFromBatch(EnvelopeHeaders.write(ENVELOPE).toArray());
        for (Header header : headers) {
            header.key();
        }
        assertEquals(ENVELOPE, EnvelopeHeaders.read(List.of(headers)));
        assertEquals(ENVELOPE, EnvelopeHeaders.read(EnvelopeHeaders.write(ENVELOPE)));
    }

    @Test
    void namesThatOnlyShareALengthOrAPrefixAreNotTaken() {
        List<Header> sent =
                new ArrayList<>(List.of(EnvelopeHeaders.write(ENVELOPE).toArray()));
        sent.add(new RecordHeader("ce_lsrpositiom", "99".getBytes(UTF_8))); // same length as ce_lsrposition
        sent.add(new RecordHeader("ce_type_", "x".getBytes(UTF_8)));
        sent.add(new RecordHeader(Headers.SSE_EVENT.toUpperCase(), "x".getBytes(UTF_8)));
        assertEquals(ENVELOPE, EnvelopeHeaders.read(List.of(parsedFromBatch(sent.toArray(Header[]::new)))));
    }

    private static Header[] parsedFromBatch(Header[] headers) {
        MemoryRecords batch = MemoryRecords.withRecords(
                Compression.NONE, new SimpleRecord(0L, "run-1".getBytes(UTF_8), "{}".getBytes(UTF_8), headers));
        Record record = batch.records().iterator().next();
        return record.headers();
    }
}
