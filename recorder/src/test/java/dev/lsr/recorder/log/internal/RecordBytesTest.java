package dev.lsr.recorder.log.internal;

import static dev.lsr.recorder.log.internal.Fixtures.P3;
import static dev.lsr.recorder.log.internal.Fixtures.chunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Position;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.junit.jupiter.api.Test;

class RecordBytesTest {

    @Test
    void aBatchOfRecordsIsNoBiggerThanTheirSumAndCloseToIt() {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            String padding = "x".repeat(i % 300);
            records.add(toSend(chunk("run-" + (i % 7), 100_000L + i, "{\"content\":\"" + padding + "\"}")));
        }
        records.add(toSend(Fixtures.finished("run-1", Position.ofSeq(7))));
        long counted = records.stream().mapToLong(RecordBytes::inBatch).sum();

        int actual = serialized(records);

        assertTrue(counted + RecordBytes.BATCH_HEADER_BYTES >= actual, counted + " + header < " + actual);
        assertTrue(
                counted - actual <= 16L * records.size(),
                "at most 16 bytes over per record: " + counted + " vs " + actual);
    }

    @Test
    void theGuardCountsMorePerRecordThanTheBatch() {
        ProducerRecord<byte[], byte[]> record = toSend(chunk("run-a", 3));
        assertTrue(
                OversizeGuard.estimate(record) - RecordBytes.inBatch(record) > 500,
                "the guard adds a batch header and a compression margin");
    }

    @Test
    void varintSizes() {
        assertEquals(1, RecordBytes.sizeOfVarint(0));
        assertEquals(1, RecordBytes.sizeOfVarint(63));
        assertEquals(2, RecordBytes.sizeOfVarint(64));
        assertEquals(2, RecordBytes.sizeOfVarint(8_191));
        assertEquals(3, RecordBytes.sizeOfVarint(8_192));
        assertEquals(5, RecordBytes.sizeOfVarint(Integer.MAX_VALUE));
    }

    private static ProducerRecord<byte[], byte[]> toSend(ChunkLogRecord record) {
        return record.toProducerRecord(P3.chunkTopic(), P3.partition());
    }

    /** As the producer writes them: one batch, timestamps a few ms apart, offsets from 0. */
    private static int serialized(List<ProducerRecord<byte[], byte[]>> records) {
        MemoryRecordsBuilder builder =
                MemoryRecords.builder(ByteBuffer.allocate(4 << 20), Compression.NONE, TimestampType.CREATE_TIME, 0L);
        long now = System.currentTimeMillis();
        for (int i = 0; i < records.size(); i++) {
            ProducerRecord<byte[], byte[]> record = records.get(i);
            builder.append(
                    now + 3L * i, record.key(), record.value(), record.headers().toArray());
        }
        return builder.build().sizeInBytes();
    }
}
