package dev.lsr.consumer.analytics.spans;

import dev.lsr.consumer.analytics.AnalyticsConfig;
import dev.lsr.consumer.analytics.RunFold;
import dev.lsr.consumer.projection.summary.RunSummaryFold;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.reader.RunRecord;

/**
 * The spans job's fold: each run's OpenTelemetry span tree, written once, when the run has ended, as an OTLP
 * {@code ExportTraceServiceRequest} (protobuf) to {@code <chunk topic>.otlp}, where an OpenTelemetry
 * Collector's Kafka receiver ({@code encoding: otlp_proto}) reads it (docs/analytics.md). The job keeps it
 * exactly once like the summaries: a record per run and transaction, its value the tree in the transaction
 * where the run ended and empty (an empty request, no spans) in every other, its saved state beside it.
 * Trace and span ids derive from the run id, so the tree written after a crash is the same tree.
 *
 * <p>This relies on the job calling {@link #value} once per record it writes, as {@code AnalyticsJob} does:
 * {@code value} marks the tree as written in the state the job owns.
 */
public final class SpansRunFold implements RunFold<RunTrace> {

    /** The consumer group of the spans job (beside the summaries' {@value AnalyticsConfig#DEFAULT_GROUP}). */
    public static final String DEFAULT_GROUP = "lsr-spans";

    private static final byte[] NO_SPANS = new byte[0];

    /** {@code <chunk topic>.otlp}: where the span trees go. */
    public static String topic(String chunkTopic) {
        return chunkTopic + ".otlp";
    }

    /** The spans job's settings for a chunk topic: its own group and the {@link #topic} as output. */
    public static AnalyticsConfig config(String chunkTopic, String instance) {
        return AnalyticsConfig.defaults(chunkTopic)
                .withGroup(DEFAULT_GROUP, instance)
                .withSummaryTopic(topic(chunkTopic));
    }

    @Override
    public RunTrace initial(String runId) {
        return new RunTrace(runId, new RunSummaryFold());
    }

    @Override
    public RunTrace apply(RunTrace trace, ReplayEvent event) {
        trace.summary.apply(event); // the run-level facts, and an unreadable record counted
        if (!(event instanceof ReplayEvent.OfRecord of)) {
            return trace;
        }
        RunRecord record = of.record();
        Long at = RunTrace.nanos(record.receivedAt());
        if (record.isChunk()) {
            // the job hands every record as delivered: repeats are judged here, by position
            if (of.isRepeat() || trace.lastChunk != null && !record.position().isAfter(trace.lastChunk)) {
                return trace; // a duplicate append, or a keepalive ping
            }
            trace.lastChunk = record.position();
            if (record.json() != null) {
                trace.chunk(record.messageType(), record.json(), at);
            }
        } else {
            trace.lifecycle(record.lifecycle(), at);
        }
        trace.heard(at);
        return trace;
    }

    /** The tree, the first time it is asked for after the run ended; else no spans. Marks it written. */
    @Override
    public byte[] value(RunTrace trace) {
        if (!trace.complete || trace.written) {
            return NO_SPANS;
        }
        trace.written = true;
        return OtlpSpans.of(trace).toByteArray();
    }

    @Override
    public byte[] saveState(RunTrace trace) {
        return RunTraceCodec.save(trace);
    }

    @Override
    public RunTrace restoreState(String runId, byte[] saved) {
        return RunTraceCodec.restore(runId, saved);
    }
}
