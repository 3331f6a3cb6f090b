package dev.lsr.consumer.analytics.internal;

import dev.lsr.consumer.analytics.RunFold;
import dev.lsr.kernel.RecordSizes;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record the job writes for a run that changed: its summary record; or a marker in its place when that record
 * cannot be written. Such a record would fail at every retry and stall the partition, or fail the job and every
 * restart on the same batch, so the run is then no longer folded, and the marker is logged with the run id and
 * counted as a problem, once ({@link TransactionProblems}). Two cases: the record is over what Kafka takes (the run's fold state grows with its
 * steps and tool calls; {@link SummaryRecords#oversized}), or the fold cannot build the run's summary or saved state
 * (bad input the fold took, e.g. times whose difference overflows; {@link SummaryRecords#unsummarisable}).
 */
final class SummaryOrMarker<S> {

    private static final Logger log = LoggerFactory.getLogger(SummaryOrMarker.class);

    private final String topic;
    private final RunFold<S> fold;
    private final int limitBytes;
    private final TransactionProblems problems;

    SummaryOrMarker(String topic, RunFold<S> fold, int limitBytes, TransactionProblems problems) {
        this.topic = topic;
        this.fold = fold;
        this.limitBytes = limitBytes;
        this.problems = problems;
    }

    ProducerRecord<byte[], byte[]> of(
            RunProcessor<S> processor, int partition, String runId, ConsumedPosition consumedTo) {
        ProducerRecord<byte[], byte[]> summary;
        try {
            summary = SummaryRecords.toRecord(topic, partition, runId, processor.state(runId), fold, consumedTo);
        } catch (RuntimeException e) {
            processor.stopFolding(runId);
            problems.add(() -> log.error(
                    "run {}: the fold cannot build its summary; the summary topic marks it unsummarisable and the job"
                            + " no longer folds the run",
                    runId,
                    e));
            return SummaryRecords.unsummarisable(topic, partition, runId, e, consumedTo);
        }
        int size = RecordSizes.upperBound(summary);
        if (size <= limitBytes) {
            return summary;
        }
        processor.stopFolding(runId);
        problems.add(() -> log.error(
                "run {}: its summary record (about {} bytes) is over the limit of {} bytes; the summary topic marks it"
                        + " oversized and the job no longer folds the run",
                runId,
                size,
                limitBytes));
        return SummaryRecords.oversized(topic, partition, runId, size, limitBytes, consumedTo);
    }
}
