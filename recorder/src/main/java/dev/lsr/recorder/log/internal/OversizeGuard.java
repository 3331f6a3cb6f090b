package dev.lsr.recorder.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RecordType;
import dev.lsr.kernel.RecordSizes;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Keeps records Kafka would refuse out of transactions: estimates a record's serialized size with an
 * upper bound (record-batch header, worst-case varints, a margin for compression framing) and turns a
 * record over the limit into a {@code CHUNK_REJECTED} record at the same position.
 *
 * @param limitBytes the smaller of the producer's {@code max.request.size} and the topic's
 *                   {@code max.message.bytes}
 */
record OversizeGuard(int limitBytes) {

    private static final int PREFIX_CHARS = 256;

    /** An upper bound of the record's size as Kafka checks it ({@link RecordSizes}). */
    static int estimate(ProducerRecord<byte[], byte[]> record) {
        return RecordSizes.upperBound(record);
    }

    boolean fits(int sizeBytes) {
        return sizeBytes <= limitBytes;
    }

    /** The {@code CHUNK_REJECTED} record that stands for {@code record} ({@code sizeBytes} over the limit). */
    ChunkLogRecord rejection(ChunkLogRecord record, int sizeBytes) {
        Envelope original = record.envelope();
        LifecycleEvent.ChunkRejected rejected = new LifecycleEvent.ChunkRejected(
                "oversized",
                "record of about " + sizeBytes + " bytes exceeds the limit of " + limitBytes + " bytes",
                original.sseEvent(),
                record.value().length,
                prefix(record.value()));
        Envelope envelope = Envelope.recorderRecord(
                RecordType.CHUNK_REJECTED,
                original.runId() + "/rejected/" + original.position(),
                original.source(),
                original.runId(),
                original.position(),
                original.receivedAt(),
                original.agentId(),
                original.conversationId());
        return new ChunkLogRecord(envelope, rejected.toJson());
    }

    private static String prefix(byte[] value) {
        int bytes = Math.min(value.length, PREFIX_CHARS * 4);
        String text = new String(value, 0, bytes, UTF_8);
        return text.length() <= PREFIX_CHARS ? text : text.substring(0, PREFIX_CHARS);
    }
}
