package dev.lsr.consumer.reader;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.consumer.reader.internal.RunSequencer;
import dev.lsr.consumer.reader.internal.RunSequencer.Verdict;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunSequencerTest {

    private static final String RUN = "run-1";
    private final RunSequencer sequencer = new RunSequencer(RUN);
    private long offset;

    private RunRecord chunk(String position, String messageType) {
        String json = "{\"message_type\":\"" + messageType + "\"}";
        Envelope envelope = Envelope.chunk("src", RUN, Position.parse(position), null, Instant.EPOCH, null, null);
        return new RunRecord(LogLocation.kafka("t", 0, offset++), new ChunkLogRecord(envelope, json.getBytes(UTF_8)),
                ChunkPeek.of(json.getBytes(UTF_8)), null);
    }

    private RunRecord recorder(RecordType type, String id, LifecycleEvent event) {
        Envelope envelope = Envelope.recorderRecord(type, id, "src", RUN, Position.START, Instant.EPOCH, null, null);
        return new RunRecord(LogLocation.kafka("t", 0, offset++), new ChunkLogRecord(envelope, event.toJson()), null,
                event);
    }

    private String gapAt(String position, String type) {
        assertEquals(Verdict.DELIVER, sequencer.accept(chunk(position, type)));
        return sequencer.gap() == null ? null : sequencer.gap().detail();
    }

    @Test
    void seqLessChunksUseHiddenNumbersSoTheNextVisibleSeqMayJumpByThem() {
        assertNull(gapAt("1", "ping"));
        assertNull(gapAt("2", "assistant_message"));
        assertNull(gapAt("2.1", "stop_reason"));
        assertNull(gapAt("2.2", "stop_reason"));
        assertNull(gapAt("5", "error_message"));
        assertEquals(RunEnd.Outcome.ENDED_IN_CONTENT, sequencer.end().outcome());
    }

    @Test
    void aVisibleSeqBeyondTheHiddenOnesIsAGap() {
        gapAt("1", "ping");
        gapAt("1.1", "stop_reason");
        assertEquals("missing seqs 3 .. 4 before position 5", gapAt("5", "assistant_message"));
        assertEquals("missing seq 6 before position 7", gapAt("7", "assistant_message"));
    }

    @Test
    void missingSeqLessChunksAndMissingVisibleChunksBeforeSeqLessOnesAreGaps() {
        gapAt("3", "assistant_message");
        assertEquals("missing seq-less chunks at 3.1 .. 3.1 before position 3.2", gapAt("3.2", "usage_statistics"));
        assertEquals("missing seqs 6 .. 8 before position 8.1", gapAt("8.1", "stop_reason"));
    }

    @Test
    void theFirstChunkIsExpectedRightAfterTheAttachPoint() {
        sequencer.accept(recorder(RecordType.RUN_ATTACHED, "a",
                new LifecycleEvent.RunAttached("stream", 150, null)));
        assertNull(gapAt("151", "assistant_message"));
    }

    @Test
    void aRecordedGapIsReportedWhereItStandsAndOnceOnly() {
        gapAt("1", "ping");
        gapAt("2", "assistant_message");
        LifecycleEvent.RunGap trimmed = new LifecycleEvent.RunGap(3, 5002L, "trimmed");
        assertEquals(Verdict.DELIVER, sequencer.accept(recorder(RecordType.RUN_GAP, "run-1/gap/3", trimmed)));
        assertEquals("missing seqs 3 .. 5002 (recorded by the recorder: trimmed)", sequencer.gap().detail());
        assertEquals(Verdict.DUPLICATE, sequencer.accept(recorder(RecordType.RUN_GAP, "run-1/gap/3", trimmed)),
                "found again by a restarted recorder: the same id");
        assertNull(gapAt("5003", "assistant_message"), "covered by the recorded gap");
        assertEquals("missing seq 5004 before position 5005", gapAt("5005", "assistant_message"));
    }

    @Test
    void seqsMissingRightBeforeARecordedGapAreReportedWithIt() {
        gapAt("1", "ping");
        sequencer.accept(recorder(RecordType.RUN_GAP, "run-1/gap/5", new LifecycleEvent.RunGap(5, 9L, "trimmed")));
        assertEquals("missing seqs 2 .. 4 and seqs 5 .. 9 (recorded by the recorder: trimmed)", sequencer.gap().detail());
        assertNull(gapAt("10", "assistant_message"));
    }

    @Test
    void aRecordedGapToTheEndCoversEverythingAfterIt() {
        gapAt("1", "ping");
        sequencer.accept(recorder(RecordType.RUN_GAP, "run-1/gap/2", new LifecycleEvent.RunGap(2, null, "expired")));
        assertEquals("missing seqs from 2 to the end of the run (recorded by the recorder: expired)",
                sequencer.gap().detail());
    }

    @Test
    void rejectedFramesMayExplainMissingNumbers() {
        gapAt("3", "assistant_message");
        sequencer.accept(recorder(RecordType.CHUNK_REJECTED, "r1",
                new LifecycleEvent.ChunkRejected("malformed_json", "bad", null, 3, "{")));
        assertNull(gapAt("5", "assistant_message"));
    }

    @Test
    void repeatsAreDuplicatesExceptPingsWhichAreKeepalives() {
        gapAt("3", "assistant_message");
        gapAt("3.1", "stop_reason");
        assertEquals(Verdict.KEEPALIVE, sequencer.accept(chunk("3", "ping")));
        assertEquals(Verdict.DUPLICATE, sequencer.accept(chunk("3.1", "stop_reason")));
        assertEquals(Verdict.DUPLICATE, sequencer.accept(chunk("2", "assistant_message")));
        assertEquals(Verdict.DELIVER, sequencer.accept(recorder(RecordType.RUN_FINISHED, "f",
                new LifecycleEvent.RunFinished("end_turn", "completed", null))));
        assertEquals(Verdict.DUPLICATE, sequencer.accept(recorder(RecordType.RUN_FINISHED, "f",
                new LifecycleEvent.RunFinished("end_turn", "completed", null))));
        assertEquals(new RunEnd(RUN, RunEnd.Outcome.ENDED, RecordType.RUN_FINISHED), sequencer.end());
    }

    @Test
    void aRunWithoutAnyEndIsTruncated() {
        gapAt("1", "ping");
        gapAt("2", "reasoning_message");
        assertEquals(RunEnd.Outcome.TRUNCATED, sequencer.end().outcome());
    }
}
