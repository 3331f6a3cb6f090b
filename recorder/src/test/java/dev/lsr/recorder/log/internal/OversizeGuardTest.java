package dev.lsr.recorder.log.internal;

import static dev.lsr.recorder.log.internal.Fixtures.P3;
import static dev.lsr.recorder.log.internal.Fixtures.chunk;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.EnvelopeHeaders;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

class OversizeGuardTest {

    @Test
    void theEstimateIsAnUpperBoundOfTheSerializedBatch() {
        for (int size : new int[] {0, 100, 10_000, 1_000_000}) {
            ProducerRecord<byte[], byte[]> record = toSend(chunk("run-a", 5, json(size)));
            int estimate = OversizeGuard.estimate(record);
            for (Compression compression :
                    new Compression[] {Compression.NONE, Compression.gzip().build()}) {
                int actual = serializedSize(record, compression);
                assertTrue(estimate >= actual, size + " bytes, " + compression + ": " + estimate + " < " + actual);
            }
            assertTrue(estimate - serializedSize(record, Compression.NONE) <= 1_024, "close to the real size");
        }
    }

    @Test
    void aRejectionStandsAtTheSamePositionAndSaysWhy() {
        ChunkLogRecord big = chunk("run-a", 12, json(5_000));
        OversizeGuard guard = new OversizeGuard(2_000);
        int size = OversizeGuard.estimate(toSend(big));
        assertFalse(guard.fits(size));

        ChunkLogRecord rejection = guard.rejection(big, size);

        assertEquals(RecordType.CHUNK_REJECTED, rejection.type());
        assertEquals(Position.ofSeq(12), rejection.position());
        assertEquals("run-a", rejection.runId());
        assertEquals("run-a/rejected/12", rejection.envelope().id());
        var event =
                (LifecycleEvent.ChunkRejected) LifecycleEvent.fromJson(RecordType.CHUNK_REJECTED, rejection.value());
        assertEquals("oversized", event.reason());
        assertEquals(big.value().length, event.sizeBytes());
        assertEquals(256, event.prefix().length());
        assertTrue(big.valueText().startsWith(event.prefix()));
        assertTrue(guard.fits(OversizeGuard.estimate(toSend(rejection))), "the rejection itself fits");
        assertEquals(
                rejection.envelope(), EnvelopeHeaders.read(toSend(rejection).headers()));
    }

    @Test
    void aLifecycleRecordOverTheLimitLeavesItsLargePartsOutAndKeepsTheRest() throws Exception {
        var frame = dev.lsr.chunklog.Json.MAPPER
                .createObjectNode()
                .put("message_type", "error_message")
                .put("detail", "d".repeat(10_000));
        ChunkLogRecord error = new ChunkLogRecord(
                dev.lsr.chunklog.Envelope.recorderRecord(
                        RecordType.CONNECTION_ERROR,
                        "run-a/connection-error/12",
                        "http://letta",
                        "run-a",
                        Position.ofSeq(12),
                        java.time.Instant.parse("2026-03-14T17:00:00Z"),
                        null,
                        null),
                new LifecycleEvent.ConnectionError("error", frame).toJson());
        OversizeGuard guard = new OversizeGuard(2_000);

        ChunkLogRecord smaller = guard.withoutLargeParts(error).orElseThrow();

        assertEquals(error.envelope(), smaller.envelope(), "same type, id and position");
        var value = dev.lsr.chunklog.Json.MAPPER.readTree(smaller.value());
        assertTrue(value.get("frame").isNull(), value.toString());
        assertEquals("error", value.get("sse_event").asText());
        assertEquals("[\"frame\"]", value.get("left_out").toString());
        assertTrue(guard.fits(OversizeGuard.estimate(toSend(smaller))));
        assertTrue(guard.withoutLargeParts(chunk("run-a", 12, json(5_000))).isEmpty(), "not for chunks");
    }

    private static ProducerRecord<byte[], byte[]> toSend(ChunkLogRecord record) {
        return record.toProducerRecord(P3.chunkTopic(), P3.partition());
    }

    private static int serializedSize(ProducerRecord<byte[], byte[]> record, Compression compression) {
        Header[] headers = record.headers().toArray();
        return MemoryRecords.withRecords(
                        compression,
                        new SimpleRecord(System.currentTimeMillis(), record.key(), record.value(), headers))
                .sizeInBytes();
    }

    /** A chunk of about {@code size} bytes whose text does not compress. */
    private static String json(int size) {
        Random random = new Random(size);
        StringBuilder text = new StringBuilder(size);
        for (int i = 0; i < size; i++) {
            text.append((char) ('!' + random.nextInt(90)));
        }
        String escaped = text.toString().replace("\\", "/").replace("\"", "'");
        return "{\"message_type\":\"assistant_message\",\"content\":\"" + escaped + "\"}";
    }

    static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
