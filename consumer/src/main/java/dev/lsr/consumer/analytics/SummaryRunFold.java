package dev.lsr.consumer.analytics;

import dev.lsr.consumer.projection.summary.RunSummaries;
import dev.lsr.consumer.projection.summary.RunSummaryFold;
import dev.lsr.consumer.reader.ReadProblem;
import dev.lsr.consumer.reader.RunRecord;
import dev.lsr.consumer.rebuild.ProjectionEntries;

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
    public RunSummaryFold apply(RunSummaryFold fold, RunRecord record) {
        return fold.apply(ProjectionEntries.of(record));
    }

    @Override
    public RunSummaryFold unreadable(RunSummaryFold fold, ReadProblem problem) {
        var entry = ProjectionEntries.of(problem);
        return entry == null ? fold : fold.apply(entry);
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
