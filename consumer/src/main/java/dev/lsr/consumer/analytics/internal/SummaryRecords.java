package dev.lsr.consumer.analytics.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.consumer.analytics.RunFold;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The records of the summary topic: key = run id, value = the fold's summary JSON, header
 * {@value #STATE_HEADER} = the fold's saved state (what the job needs to continue).
 */
public final class SummaryRecords {

    public static final String STATE_HEADER = "lsr_fold_state";

    private SummaryRecords() {}

    static <S> ProducerRecord<byte[], byte[]> toRecord(
            String topic, int partition, String runId, S state, RunFold<S> fold) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(STATE_HEADER, fold.saveState(state));
        return new ProducerRecord<>(topic, partition, null, runId.getBytes(UTF_8), fold.value(state), headers);
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
