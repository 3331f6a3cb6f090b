package dev.lsr.consumer.analytics.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.EnvelopeHeaders;
import dev.lsr.chunklog.Json;
import dev.lsr.consumer.analytics.RunFold;
import dev.lsr.consumer.reader.internal.RunSequencer;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The records of the summary topic: key = run id, value = the fold's JSON, and a header
 * {@value #SEQUENCER_HEADER} with the run's sequencer snapshot (what the job needs besides the
 * summary to continue without double counting).
 */
public final class SummaryRecords {

    public static final String SEQUENCER_HEADER = "lsr_sequencer";

    private SummaryRecords() {
    }

    static <S> ProducerRecord<byte[], byte[]> toRecord(String topic, int partition, String runId, TrackedRun<S> run,
                                                       RunFold<S> fold) {
        RecordHeaders headers = new RecordHeaders();
        try {
            headers.add(SEQUENCER_HEADER, Json.MAPPER.writeValueAsBytes(run.sequencer.snapshot()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ProducerRecord<>(topic, partition, null, runId.getBytes(UTF_8), fold.write(run.state), headers);
    }

    /** Reads a stored run back; null for a tombstone or a record this job did not write. */
    static <S> TrackedRun<S> fromRecord(ConsumerRecord<byte[], byte[]> record, RunFold<S> fold) {
        String sequencer = EnvelopeHeaders.get(record.headers(), SEQUENCER_HEADER);
        if (record.key() == null || record.value() == null || sequencer == null) {
            return null;
        }
        String runId = new String(record.key(), UTF_8);
        try {
            RunSequencer.Snapshot snapshot = Json.MAPPER.readValue(sequencer, RunSequencer.Snapshot.class);
            return new TrackedRun<>(runId, RunSequencer.restore(runId, snapshot), fold.read(runId, record.value()));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable stored state of run " + runId, e);
        }
    }
}
