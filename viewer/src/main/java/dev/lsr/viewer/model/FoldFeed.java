package dev.lsr.viewer.model;

import dev.lsr.consumer.projection.RunLogEntries;
import dev.lsr.consumer.projection.RunLogEntry;
import dev.lsr.consumer.reader.ReadProblem;
import dev.lsr.consumer.reader.ReplayEvent;

/**
 * The one place where the viewer turns a reader event into what the consumer's transcript and summary
 * folds take today ({@link RunLogEntry}): every chunk and lifecycle record, repeats included (the folds
 * judge them), a skipped record of a run as an unreadable entry; null for gaps and ends, which describe
 * the run rather than a record. When the folds take {@link ReplayEvent} themselves, this class goes.
 */
final class FoldFeed {

    private FoldFeed() {}

    static RunLogEntry entry(ReplayEvent event) {
        return switch (event) {
            case ReplayEvent.Chunk chunk ->
                RunLogEntries.of(chunk.record().record(), chunk.record().json());
            case ReplayEvent.Lifecycle lifecycle ->
                RunLogEntries.of(lifecycle.record().record());
            case ReplayEvent.Unreadable unreadable -> unreadable(unreadable.problem());
            case ReplayEvent.Gap gap -> null;
            case ReplayEvent.End end -> null;
        };
    }

    private static RunLogEntry unreadable(ReadProblem problem) {
        return problem.runId() == null
                ? null
                : new RunLogEntry.UnreadableEntry(
                        problem.runId(), null, null, null, problem.kind().label() + ": " + problem.detail());
    }
}
