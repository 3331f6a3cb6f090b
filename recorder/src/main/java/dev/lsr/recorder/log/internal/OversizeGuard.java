package dev.lsr.recorder.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RecordType;
import dev.lsr.kernel.RecordSizes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Keeps records Kafka would refuse out of transactions: estimates a record's serialized size with an
 * upper bound (record-batch header, worst-case varints, a margin for compression framing) and turns a
 * chunk over the limit into a {@code CHUNK_REJECTED} record at the same position, a lifecycle record over it into
 * the same record without its large parts ({@link #withoutLargeParts}).
 *
 * @param limitBytes the smaller of the producer's {@code max.request.size} and the topic's
 *                   {@code max.message.bytes}
 */
record OversizeGuard(int limitBytes) {

    private static final int PREFIX_CHARS = 256;
    /** A container field of a lifecycle value longer than this (as JSON text) is left out of an oversized one. */
    private static final int LARGE_FIELD_CHARS = 1024;

    /** An upper bound of the record's size as Kafka checks it ({@link RecordSizes}). */
    static int estimate(ProducerRecord<byte[], byte[]> record) {
        return RecordSizes.upperBound(record);
    }

    boolean fits(int sizeBytes) {
        return sizeBytes <= limitBytes;
    }

    /**
     * What stands for {@code record} ({@code sizeBytes} over the limit): a recorder record without its large parts
     * when {@code accepted} takes that ({@link #withoutLargeParts}), else its {@code CHUNK_REJECTED} record.
     */
    ChunkLogRecord standIn(ChunkLogRecord record, int sizeBytes, Predicate<ChunkLogRecord> accepted) {
        return withoutLargeParts(record).filter(accepted).orElseGet(() -> rejection(record, sizeBytes));
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

    /**
     * A lifecycle record over the limit, of the same type at the same position, with every large field of its value
     * left out ({@code null}; a long text cut to a prefix) and named in {@code left_out}: it keeps its place in the
     * run (a terminal record stays terminal), where a {@code chunk.rejected} would take the position of the record
     * before it a second time. Empty for chunks, and for a value that is not a JSON object.
     */
    Optional<ChunkLogRecord> withoutLargeParts(ChunkLogRecord record) {
        if (!record.type().isLifecycle() || record.type() == RecordType.CHUNK_REJECTED) {
            return Optional.empty();
        }
        JsonNode value;
        try {
            value = Json.MAPPER.readTree(record.value());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!(value instanceof ObjectNode object)) {
            return Optional.empty();
        }
        ArrayNode leftOut = object.arrayNode();
        List<String> fields = new ArrayList<>();
        object.fieldNames().forEachRemaining(fields::add);
        for (String field : fields) {
            JsonNode node = object.get(field);
            if (node.isTextual() && node.textValue().length() > PREFIX_CHARS) {
                object.put(field, node.textValue().substring(0, PREFIX_CHARS));
                leftOut.add(field);
            } else if (node.isContainerNode() && node.toString().length() > LARGE_FIELD_CHARS) {
                object.putNull(field);
                leftOut.add(field);
            }
        }
        if (leftOut.isEmpty()) {
            return Optional.empty();
        }
        object.set("left_out", leftOut);
        try {
            return Optional.of(new ChunkLogRecord(record.envelope(), Json.MAPPER.writeValueAsBytes(object)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String prefix(byte[] value) {
        int bytes = Math.min(value.length, PREFIX_CHARS * 4);
        String text = new String(value, 0, bytes, UTF_8);
        return text.length() <= PREFIX_CHARS ? text : text.substring(0, PREFIX_CHARS);
    }
}
