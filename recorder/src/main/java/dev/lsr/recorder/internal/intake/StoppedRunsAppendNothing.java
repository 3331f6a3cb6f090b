package dev.lsr.recorder.internal.intake;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.RunState;
import dev.lsr.recorder.internal.drain.RunAppender;
import dev.lsr.recorder.log.PartitionLostException;

/**
 * The sessions' appender in a registry: a recording thread asked to stop ({@link RunStops}: its partition was given
 * up) appends nothing more, not even a frame it had already read or its run's end. A session that does not stop in
 * time could otherwise append into the partition's next hold: after positions its own hold dropped uncommitted (a
 * gap nobody would see), or positions the run's next session appends again from the checkpoint the take read. Its
 * run is continued from that checkpoint by whoever holds the partition next.
 */
final class StoppedRunsAppendNothing implements RunAppender {

    private final RunAppender appender;
    private final RunStops stops;

    StoppedRunsAppendNothing(RunAppender appender, RunStops stops) {
        this.appender = appender;
        this.stops = stops;
    }

    @Override
    public void append(ChunkLogRecord record, RunState stateAfter) {
        if (stops.current()) {
            throw new PartitionLostException(
                    "run " + record.runId() + ": its partition was given up; this session appends nothing more");
        }
        appender.append(record, stateAfter);
    }
}
