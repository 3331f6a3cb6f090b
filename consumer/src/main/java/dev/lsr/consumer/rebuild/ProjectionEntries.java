package dev.lsr.consumer.rebuild;

import dev.lsr.consumer.projection.RunLogEntries;
import dev.lsr.consumer.projection.RunLogEntry;
import dev.lsr.consumer.reader.ReadProblem;
import dev.lsr.consumer.reader.RunRecord;

/** What the reader hands on, as the transcript and summary folds read it ({@link RunLogEntry}). */
public final class ProjectionEntries {

    private ProjectionEntries() {}

    public static RunLogEntry of(RunRecord record) {
        return RunLogEntries.of(record.record(), record.isChunk() ? record.json() : null);
    }

    /**
     * A skipped record of a run as an unreadable entry, or null for problems that describe the run
     * rather than a record (gaps, truncation) or that name no run.
     */
    public static RunLogEntry of(ReadProblem problem) {
        if (problem.runId() == null) {
            return null;
        }
        return switch (problem.kind()) {
            case UNREADABLE_RECORD, NEWER_FORMAT, UNKNOWN_MESSAGE_TYPE, MALFORMED_CHUNK ->
                new RunLogEntry.UnreadableEntry(
                        problem.runId(), null, null, null, problem.kind().label() + ": " + problem.detail());
            case GAP, TRUNCATED_RUN -> null;
        };
    }
}
