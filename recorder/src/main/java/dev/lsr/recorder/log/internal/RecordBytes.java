package dev.lsr.recorder.log.internal;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Utils;

/**
 * What one record adds to a record batch (format v2, uncompressed): an upper bound that is close to the
 * real size, for the per-transaction batch bound and the pending-bytes budget. The varints of the
 * lengths are counted as they will be written; the record's length prefix, timestamp delta and offset
 * delta at their worst case. Whether one record fits on its own is the {@link OversizeGuard}'s
 * question, with a wider bound (a whole batch header and a compression margin).
 */
final class RecordBytes {

    /** Attributes (1), length prefix (at most 5), timestamp delta (at most 10), offset delta (at most 5). */
    static final int FIXED_BYTES = 1 + 5 + 10 + 5;

    private RecordBytes() {}

    /** The header of a record batch (format v2). */
    static final int BATCH_HEADER_BYTES = 61;

    /**
     * The record bytes a transaction of {@code maxBatchBytes} may hold: the producer's
     * {@code batch.size} is {@code maxBatchBytes} (see {@link KafkaClients#defaultBatchSize}), so a full
     * transaction's records plus the batch header go out as one batch, in one produce request.
     */
    static long recordsPerBatch(long maxBatchBytes) {
        return Math.max(1, maxBatchBytes - BATCH_HEADER_BYTES);
    }

    static int inBatch(ProducerRecord<byte[], byte[]> record) {
        long size = FIXED_BYTES + lengthAndBytes(record.key()) + lengthAndBytes(record.value());
        Header[] headers = record.headers().toArray();
        size += sizeOfVarint(headers.length);
        for (Header header : headers) {
            int keyBytes = Utils.utf8Length(header.key());
            size += sizeOfVarint(keyBytes) + keyBytes + lengthAndBytes(header.value());
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    /** A null array is written as length -1 (one byte). */
    private static int lengthAndBytes(byte[] bytes) {
        return bytes == null ? 1 : sizeOfVarint(bytes.length) + bytes.length;
    }

    /** The zig-zag varint size of a non-negative int. */
    static int sizeOfVarint(int value) {
        long zigZag = ((long) value << 1) ^ (value >> 31);
        int bytes = 1;
        while ((zigZag & 0xFFFFFFFFFFFFFF80L) != 0) {
            zigZag >>>= 7;
            bytes++;
        }
        return bytes;
    }
}
