package dev.lsr.consumer.analytics.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.Json;
import dev.lsr.consumer.analytics.RunFold;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The records of the summary topic: key = run id, value = the fold's summary JSON, header
 * {@value #STATE_HEADER} = the fold's saved state (what the job needs to continue). A run whose record would be
 * over what Kafka takes has an {@linkplain #oversized oversized marker} instead, header {@value #OVERSIZED_HEADER};
 * a run whose summary the fold cannot build an {@linkplain #unsummarisable unsummarisable marker}, header
 * {@value #UNSUMMARISABLE_HEADER}. A marker has no saved state: the job no longer folds that run.
 * Every record the job writes carries {@value #CONSUMED_HEADER} and {@value #CONSUMED_TOPIC_ID_HEADER}: where the
 * transaction that wrote it leaves the job's consumption of the chunk partition ({@link ConsumedPosition}).
 */
public final class SummaryRecords {

    public static final String STATE_HEADER = "lsr_fold_state";
    /** Marks a run whose summary no longer fits a record: its value says so, it has no saved state. */
    public static final String OVERSIZED_HEADER = "lsr_fold_oversized";
    /** Marks a run whose summary the fold cannot build: its value says why, it has no saved state. */
    public static final String UNSUMMARISABLE_HEADER = "lsr_fold_unsummarisable";
    /**
     * On every record the job writes: the next offset of the chunk partition of the same number that the
     * transaction commits as consumed, as decimal text. Restored with the state, it says where that state stands
     * when the group's committed offsets are gone.
     */
    public static final String CONSUMED_HEADER = "lsr_consumed_next_offset";
    /**
     * On every record the job writes (when Kafka said it): the topic id of the chunk topic {@value #CONSUMED_HEADER}
     * is an offset of, as Kafka's base64 text. A chunk topic deleted and created again has another id.
     */
    public static final String CONSUMED_TOPIC_ID_HEADER = "lsr_consumed_topic_id";

    private SummaryRecords() {}

    static <S> ProducerRecord<byte[], byte[]> toRecord(
            String topic, int partition, String runId, S state, RunFold<S> fold, ConsumedPosition consumed) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(STATE_HEADER, fold.saveState(state));
        addConsumed(headers, consumed);
        return new ProducerRecord<>(topic, partition, null, runId.getBytes(UTF_8), fold.value(state), headers);
    }

    /**
     * The record that stands for a run whose summary record (about {@code sizeBytes}) is over {@code limitBytes}:
     * the job writes no more summaries of that run, and says so here, in the run's place.
     */
    static ProducerRecord<byte[], byte[]> oversized(
            String topic, int partition, String runId, int sizeBytes, int limitBytes, ConsumedPosition consumed) {
        ObjectNode omitted = Json.MAPPER
                .createObjectNode()
                .put("reason", "oversized")
                .put("record_bytes", sizeBytes)
                .put("limit_bytes", limitBytes);
        return marker(topic, partition, runId, OVERSIZED_HEADER, Integer.toString(sizeBytes), omitted, consumed);
    }

    /**
     * The record that stands for a run whose summary or saved state the fold cannot build ({@code error}, e.g. a
     * duration between two of its times that overflows): the job writes no more summaries of that run.
     */
    static ProducerRecord<byte[], byte[]> unsummarisable(
            String topic, int partition, String runId, RuntimeException error, ConsumedPosition consumed) {
        ObjectNode omitted =
                Json.MAPPER.createObjectNode().put("reason", "unsummarisable").put("error", error.toString());
        return marker(
                topic, partition, runId, UNSUMMARISABLE_HEADER, error.getClass().getName(), omitted, consumed);
    }

    private static ProducerRecord<byte[], byte[]> marker(
            String topic,
            int partition,
            String runId,
            String header,
            String headerValue,
            ObjectNode omitted,
            ConsumedPosition consumed) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(header, headerValue.getBytes(UTF_8));
        addConsumed(headers, consumed);
        ObjectNode value = Json.MAPPER.createObjectNode().put("run_id", runId);
        value.set("summary_omitted", omitted);
        return new ProducerRecord<>(
                topic, partition, null, runId.getBytes(UTF_8), value.toString().getBytes(UTF_8), headers);
    }

    private static void addConsumed(RecordHeaders headers, ConsumedPosition consumed) {
        headers.add(CONSUMED_HEADER, Long.toString(consumed.nextOffset()).getBytes(UTF_8));
        if (consumed.chunkTopicId() != null) {
            headers.add(
                    CONSUMED_TOPIC_ID_HEADER, consumed.chunkTopicId().toString().getBytes(UTF_8));
        }
    }

    /**
     * Where a record says the job's consumption stood when it wrote it ({@value #CONSUMED_HEADER},
     * {@value #CONSUMED_TOPIC_ID_HEADER}), or null (no offset said: written before the header existed, or not by the
     * job). The topic id is null when not said or unreadable.
     */
    static ConsumedPosition consumed(ConsumerRecord<byte[], byte[]> record) {
        String offset = text(record, CONSUMED_HEADER);
        if (offset == null) {
            return null;
        }
        try {
            return new ConsumedPosition(Long.parseLong(offset), topicId(text(record, CONSUMED_TOPIC_ID_HEADER)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Uuid topicId(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Uuid.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), UTF_8);
    }

    /** Whether {@code record} is a run's marker ({@linkplain #oversized oversized}, {@linkplain #unsummarisable}). */
    static boolean isMarker(ConsumerRecord<byte[], byte[]> record) {
        return record.key() != null
                && (record.headers().lastHeader(OVERSIZED_HEADER) != null
                        || record.headers().lastHeader(UNSUMMARISABLE_HEADER) != null);
    }

    /** Reads a stored run back; null for a tombstone or a record without saved state. */
    static <S> Map.Entry<String, S> fromRecord(ConsumerRecord<byte[], byte[]> record, RunFold<S> fold) {
        Header saved = record.headers().lastHeader(STATE_HEADER);
        if (record.key() == null || record.value() == null || saved == null || saved.value() == null) {
            return null;
        }
        String runId = new String(record.key(), UTF_8);
        return Map.entry(runId, fold.restoreState(runId, saved.value()));
    }
}
