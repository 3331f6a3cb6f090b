package dev.lsr.kernel;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Utils;

/**
 * An upper bound of a record's size as Kafka checks it (a batch of its own against the producer's
 * {@code max.request.size} and the topic's {@code max.message.bytes}): record-batch header, worst-case varints, a
 * margin for compression framing. A record over the limit fails its transaction at every retry, so a writer checks
 * it before sending (the recorder's chunk guard, the analytics job's summaries).
 */
public final class RecordSizes {

    /** Record-batch header (v2) plus the worst-case varints of one record and a margin for compression framing. */
    public static final int OVERHEAD_BYTES = 61 + 36 + 512;

    private static final int HEADER_OVERHEAD_BYTES = 10;

    private RecordSizes() {}

    /** At least the bytes Kafka counts for {@code record} alone in a batch. */
    public static int upperBound(ProducerRecord<byte[], byte[]> record) {
        long size = OVERHEAD_BYTES + length(record.key()) + length(record.value());
        for (Header header : record.headers()) {
            size += HEADER_OVERHEAD_BYTES + Utils.utf8Length(header.key()) + length(header.value());
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}
