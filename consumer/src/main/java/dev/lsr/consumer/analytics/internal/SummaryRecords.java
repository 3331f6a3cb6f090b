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
 * over what Kafka takes has an {@linkplain #oversized oversized marker} instead, header {@value #OVERSIZED_HEADER}.
 * One more record per partition, key {@value #CONSUMED_KEY}, says where the job's consumption stands
 * ({@link #consumed}).
 */
public final class SummaryRecords {

    public static final String STATE_HEADER = "lsr_fold_state";
    /** Marks a run whose summary no longer fits a record: its value says so, it has no saved state. */
    public static final String OVERSIZED_HEADER = "lsr_fold_oversized";
    /** The key of the job's consumed-position record of a partition (see {@link #consumed}). */
    public static final String CONSUMED_KEY = "__lsr.consumed";
    /** Its header: the next chunk offset to read, as decimal text. */
    public static final String CONSUMED_HEADER = "lsr_consumed_next_offset";

    private SummaryRecords() {}

    static <S> ProducerRecord<byte[], byte[]> toRecord(
            String topic, int partition, String runId, S state, RunFold<S> fold) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(STATE_HEADER, fold.saveState(state));
        return new ProducerRecord<>(topic, partition, null, runId.getBytes(UTF_8), fold.value(state), headers);
    }

    /**
     * The record that stands for a run whose summary record (about {@code sizeBytes}) is over {@code limitBytes}:
     * the job writes no more summaries of that run, and says so here, in the run's place.
     */
    static ProducerRecord<byte[], byte[]> oversized(
            String topic, int partition, String runId, int sizeBytes, int limitBytes) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(OVERSIZED_HEADER, Integer.toString(sizeBytes).getBytes(UTF_8));
        ObjectNode value = Json.MAPPER.createObjectNode().put("run_id", runId);
        value.putObject("summary_omitted")
                .put("reason", "oversized")
                .put("record_bytes", sizeBytes)
                .put("limit_bytes", limitBytes);
        return new ProducerRecord<>(
                topic, partition, null, runId.getBytes(UTF_8), value.toString().getBytes(UTF_8), headers);
    }

    /**
     * Where the job's consumption of the chunk partition of the same number stands: the next offset to read, written
     * in every transaction with the summaries and the group's offsets. Key {@value #CONSUMED_KEY} (never a run id),
     * header {@value #CONSUMED_HEADER}. State and this position are restored together, so a job whose group offsets
     * are gone (expired, the group deleted or renamed) goes on from here, not from the log's start.
     */
    static ProducerRecord<byte[], byte[]> consumed(String topic, int partition, long nextOffset) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CONSUMED_HEADER, Long.toString(nextOffset).getBytes(UTF_8));
        ObjectNode value = Json.MAPPER.createObjectNode().put("next_offset", nextOffset);
        return new ProducerRecord<>(
                topic,
                partition,
                null,
                CONSUMED_KEY.getBytes(UTF_8),
                value.toString().getBytes(UTF_8),
                headers);
    }

    /** The next offset a {@linkplain #consumed consumed-position record} names, or -1 for any other record. */
    static long consumedOffset(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(CONSUMED_HEADER);
        if (header == null
                || header.value() == null
                || record.key() == null
                || !CONSUMED_KEY.equals(new String(record.key(), UTF_8))) {
            return -1;
        }
        try {
            return Long.parseLong(new String(header.value(), UTF_8));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Whether {@code record} is the job's consumed-position record (a valid one or not). */
    static boolean isConsumedRecord(ConsumerRecord<byte[], byte[]> record) {
        return record.key() != null && CONSUMED_KEY.equals(new String(record.key(), UTF_8));
    }

    /** Whether {@code record} is a run's {@linkplain #oversized oversized marker}. */
    static boolean isOversizedMarker(ConsumerRecord<byte[], byte[]> record) {
        return record.key() != null && record.headers().lastHeader(OVERSIZED_HEADER) != null;
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
