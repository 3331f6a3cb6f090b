package dev.lsr.consumer.analytics;

import dev.lsr.consumer.projection.summary.RunSummaries;
import dev.lsr.consumer.projection.summary.RunSummaryFold;
import dev.lsr.consumer.reader.ReplayEvent;

/**
 * The run summary ({@code projection.summary}) as the analytics job's fold: the summary topic's
 * value is the {@code RunSummary} JSON, the saved state its {@code RunSummaryState} JSON. The fold
 * object is mutable and owned by the job.
 */
public final class SummaryRunFold implements RunFold<RunSummaryFold> {

    @Override
    public RunSummaryFold initial(String runId) {
        return new RunSummaryFold();
    }

    @Override
    public RunSummaryFold apply(RunSummaryFold fold, ReplayEvent event) {
        return fold.apply(event);
    }

    @Override
    public byte[] value(RunSummaryFold fold) {
        return RunSummaries.toJson(fold.summary());
    }

    @Override
    public byte[] saveState(RunSummaryFold fold) {
        return RunSummaries.stateToJson(fold.state());
    }

    @Override
    public RunSummaryFold restoreState(String runId, byte[] saved) {
        return RunSummaryFold.fromState(RunSummaries.stateFromJson(saved));
    }
}
