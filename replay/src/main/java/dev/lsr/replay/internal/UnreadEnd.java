package dev.lsr.replay.internal;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.UnreadableRecordException;

/**
 * A {@code run.gap} to the run's unknown end: Letta said the run had ended, but the recorder never read its end (the
 * stored stream was lost, protocol §3.3). The {@code run.finished} after it is no {@code [DONE]} the recorder read, so
 * the run is served as one that ended without its final frame.
 */
final class UnreadEnd {

    private UnreadEnd() {}

    static boolean marks(ChunkLogRecord record) {
        if (record.type() != RecordType.RUN_GAP) {
            return false;
        }
        try {
            return LifecycleEvent.fromJson(RecordType.RUN_GAP, record.value()) instanceof LifecycleEvent.RunGap gap
                    && gap.to() == null;
        } catch (UnreadableRecordException e) {
            return false;
        }
    }
}
