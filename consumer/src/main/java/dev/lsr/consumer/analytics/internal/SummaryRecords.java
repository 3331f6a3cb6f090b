package dev.lsr.consumer.analytics.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.Json;
import dev.lsr.consumer.analytics.RunFold;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The records of the summary topic: key = run id, value = the fold's summary JSON, header
 * {@value #STATE_HEADER} = the fold's saved state (what the job needs to continue). A run whose record would be
 * over what Kafka takes has an {@linkplain #oversized oversized marker} instead, header {@value #OVERSIZED_HEADER};
 * a run whose summary the fold cannot build an {@linkplain #unsummarisable unsummarisable marker}, header
 * {@value #UNSUMMARISABLE_HEADER}. A marker has no saved state: the job no longer folds that run.
 * Every record the job writes carries {@value #CONSUMED_HEADER}: where the transaction that wrote it leaves the
 * job's consumption of the chunk partition.
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

    private SummaryRecords() {}

    static <S> ProducerRecord<byte[], byte[]> toRecord(
            String topic, int partition, String runId, S state, RunFold<S> fold, long consumedTo) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(STATE_HEADER, fold.saveState(state));
        headers.add(CONSUMED_HEADER, Long.toString(consumedTo).getBytes(UTF_8));
        return new ProducerRecord<>(topic, partition, null, runId.getBytes(UTF_8), fold.value(state), headers);
    }

    /**
     * The record that stands for a run whose summary record (about {@code sizeBytes}) is over {@code limitBytes}:
     * the job writes no more summaries of that run, and says so here, in the run's place.
     */
    static ProducerRecord<byte[], byte[]> oversized(
            String topic, int partition, String runId, int sizeBytes, int limitBytes, long consumedTo) {
        ObjectNode omitted = Json.MAPPER
                .createObjectNode()
                .put("reason", "oversized")
                .put("record_bytes", sizeBytes)
                .put("limit_bytes", limitBytes);
        return marker(topic, partition, runId, OVERSIZED_HEADER, Integer.toString(sizeBytes), omitted, consumedTo);
    }

    /**
     * The record that stands for a run whose summary or saved state the fold cannot build ({@code error}, e.g. a
     * duration between two of its times that overflows): the job writes no more summaries of that run.
     */
    static ProducerRecord<byte[], byte[]> unsummarisable(
            String topic, int partition, String runId, RuntimeException error, long consumedTo) {
        ObjectNode omitted =
                Json.MAPPER.createObjectNode().put("reason", "unsummarisable").put("error", error.toString());
        return marker(
                topic, partition, runId, UNSUMMARISABLE_HEADER, error.getClass().getName(), omitted, consumedTo);
    }

    private static ProducerRecord<byte[], byte[]> marker(
            String topic,
            int partition,
            String runId,
            String header,
            String headerValue,
            ObjectNode omitted,
            long consumedTo) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(header, headerValue.getBytes(UTF_8));
        headers.add(CONSUMED_HEADER, Long.toString(consumedTo).getBytes(UTF_8));
        ObjectNode value = Json.MAPPER.createObjectNode().put("run_id", runId);
        value.set("summary_omitted", omitted);
        return new ProducerRecord<>(
                topic, partition, null, runId.getBytes(UTF_8), value.toString().getBytes(UTF_8), headers);
    }

    /**
     * The next chunk offset a record says the job had consumed up to when it wrote it ({@value #CONSUMED_HEADER}),
     * or -1 (none said: written before the header existed, or not by the job).
     */
    static long consumedOffset(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(CONSUMED_HEADER);
        if (header == null || header.value() == null) {
            return -1;
        }
        try {
            return Long.parseLong(new String(header.value(), UTF_8));
        } catch (NumberFormatException e) {
            return -1;
        }
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
