package dev.lsr.consumer.rebuild;

import dev.lsr.consumer.projection.RunLogEntries;
import dev.lsr.consumer.projection.RunLogEntry;
import dev.lsr.consumer.reader.RunRecord;

/** What the reader hands on, as the transcript and summary folds read it ({@link RunLogEntry}). */
public final class ProjectionEntries {

    private ProjectionEntries() {}

    public static RunLogEntry of(RunRecord record) {
        return RunLogEntries.of(record.record(), record.isChunk() ? record.json() : null);
    }
}
