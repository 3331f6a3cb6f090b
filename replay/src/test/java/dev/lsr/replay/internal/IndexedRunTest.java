package dev.lsr.replay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.consumer.testing.FixtureLog;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whether the log still holds a run's beginning, judged by its first record in the log. */
class IndexedRunTest {

    private static final List<ChunkLogRecord> RUN =
            FixtureLog.of("01-simple-reply").runId("run-1").records();

    @Test
    void aRunFromItsAttachedRecordHoldsEveryFrame() {
        IndexedRun.Snapshot run = indexed(RUN);
        assertFalse(run.headless());
        assertTrue(run.holdsFramesAfter(0));
    }

    @Test
    void aRunWhoseFirstRecordsAreGoneHoldsOnlyTheFramesFromItsFirstChunkOn() {
        List<ChunkLogRecord> tail = RUN.subList(3, RUN.size());
        ChunkLogRecord first = tail.getFirst();
        assertEquals(RecordType.CHUNK, first.type(), "the fixture's fourth record is a chunk");
        long firstNumber = first.position().number();

        IndexedRun.Snapshot run = indexed(tail);

        assertTrue(run.headless());
        assertEquals(firstNumber, run.firstChunkNumber());
        assertFalse(run.holdsFramesAfter(0));
        assertFalse(run.holdsFramesAfter(firstNumber - 2));
        assertTrue(run.holdsFramesAfter(firstNumber - 1));
        assertTrue(run.holdsFramesAfter(firstNumber + 5));
    }

    @Test
    void aRunWithOnlyItsFinishedRecordLeftHoldsNoFrame() {
        assertEquals(RecordType.RUN_FINISHED, RUN.getLast().type());
        IndexedRun.Snapshot run = indexed(List.of(RUN.getLast()));
        assertTrue(run.headless());
        assertFalse(run.holdsFramesAfter(0));
        assertFalse(run.holdsFramesAfter(1_000));
    }

    @Test
    void aRunRefusedAtFirstContactIsWhole() {
        IndexedRun.Snapshot run = indexed(List.of(alone(
                RecordType.RUN_GONE,
                new LifecycleEvent.RunRefused(RecordType.RUN_GONE, 404, "Run run-2 not found").toJson())));
        assertFalse(run.headless());
        assertTrue(run.ended());
    }

    /** A run whose stream never opened within the abandon time has its run.abandoned alone. */
    @Test
    void aRunAbandonedBeforeItsStreamOpenedIsWhole() {
        IndexedRun.Snapshot run = indexed(List.of(alone(
                RecordType.RUN_ABANDONED,
                new LifecycleEvent.RunAbandoned("unknown", Instant.parse("2026-03-14T16:50:00Z"), 600_000).toJson())));
        assertFalse(run.headless());
        assertTrue(run.ended());
    }

    @Test
    void theLastChunkNumberIsTheHighestNotTheLast() {
        List<ChunkLogRecord> withARepeat = new java.util.ArrayList<>(RUN.subList(0, 5));
        withARepeat.add(RUN.get(3)); // a repeat at a lower position
        assertEquals(RecordType.CHUNK, RUN.get(4).type());
        assertEquals(RUN.get(4).position().number(), indexed(withARepeat).lastChunkNumber());
    }

    private static ChunkLogRecord alone(RecordType type, byte[] value) {
        return new ChunkLogRecord(
                Envelope.recorderRecord(
                        type,
                        "run-2/" + type,
                        FixtureLog.SOURCE,
                        "run-2",
                        Position.START,
                        Instant.parse("2026-03-14T17:00:00Z"),
                        null,
                        null),
                value);
    }

    private static IndexedRun.Snapshot indexed(List<ChunkLogRecord> records) {
        ChunkLogRecord first = records.getFirst();
        IndexedRun run = new IndexedRun(first.runId(), 0, 0, first.envelope().receivedAt());
        for (int i = 0; i < records.size(); i++) {
            run.add(i, records.get(i));
        }
        return run.snapshot();
    }
}
