package dev.lsr.chunklog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.RunSequencer.Verdict;
import org.junit.jupiter.api.Test;

class RunSequencerTest {

    private RunSequencer sequencer = new RunSequencer();

    private Verdict chunk(String position, String messageType) {
        return sequencer.acceptChunk(Position.parse(position), messageType, null);
    }

    private Verdict recorder(RecordType type, String id, LifecycleEvent event) {
        return sequencer.acceptRecord(id, type, event);
    }

    private void assertEndedInContent() {
        assertNull(sequencer.terminalRecord());
        assertTrue(sequencer.endedInContent());
    }

    private void assertTruncated() {
        assertNull(sequencer.terminalRecord());
        assertFalse(sequencer.endedInContent());
    }

    private String gapAt(String position, String type) {
        assertEquals(Verdict.DELIVER, chunk(position, type));
        return sequencer.gap();
    }

    @Test
    void seqLessChunksUseHiddenNumbersSoTheNextVisibleSeqMayJumpByThem() {
        assertNull(gapAt("1", "ping"));
        assertNull(gapAt("2", "assistant_message"));
        assertNull(gapAt("2.1", "stop_reason"));
        assertNull(gapAt("2.2", "stop_reason"));
        assertNull(gapAt("5", "error_message"));
        assertEndedInContent();
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
        recorder(RecordType.RUN_ATTACHED, "a", new LifecycleEvent.RunAttached("stream", 150, null));
        assertNull(gapAt("151", "assistant_message"));
    }

    @Test
    void aRecordedGapIsReportedWhereItStandsAndOnceOnly() {
        gapAt("1", "ping");
        gapAt("2", "assistant_message");
        LifecycleEvent.RunGap trimmed = new LifecycleEvent.RunGap(3, 5002L, "trimmed");
        assertEquals(Verdict.DELIVER, recorder(RecordType.RUN_GAP, "run-1/gap/3", trimmed));
        assertEquals("missing seqs 3 .. 5002 (recorded by the recorder: trimmed)", sequencer.gap());
        assertEquals(
                Verdict.DUPLICATE,
                recorder(RecordType.RUN_GAP, "run-1/gap/3", trimmed),
                "found again by a restarted recorder: the same id");
        assertNull(gapAt("5003", "assistant_message"), "covered by the recorded gap");
        assertEquals("missing seq 5004 before position 5005", gapAt("5005", "assistant_message"));
    }

    @Test
    void seqsMissingRightBeforeARecordedGapAreReportedWithIt() {
        gapAt("1", "ping");
        recorder(RecordType.RUN_GAP, "run-1/gap/5", new LifecycleEvent.RunGap(5, 9L, "trimmed"));
        assertEquals("missing seqs 2 .. 4 and seqs 5 .. 9 (recorded by the recorder: trimmed)", sequencer.gap());
        assertNull(gapAt("10", "assistant_message"));
    }

    @Test
    void aRecordedGapToTheEndCoversEverythingAfterIt() {
        gapAt("1", "ping");
        recorder(RecordType.RUN_GAP, "run-1/gap/2", new LifecycleEvent.RunGap(2, null, "expired"));
        assertEquals("missing seqs from 2 to the end of the run (recorded by the recorder: expired)", sequencer.gap());
    }

    @Test
    void rejectedFramesMayExplainMissingNumbers() {
        gapAt("3", "assistant_message");
        recorder(
                RecordType.CHUNK_REJECTED,
                "r1",
                new LifecycleEvent.ChunkRejected("malformed_json", "bad", null, 3, "{"));
        assertNull(gapAt("5", "assistant_message"));
    }

    /**
     * A {@code chunk.rejected} occupies the position of the frame it stands for: a seq-less chunk after it at that
     * seq is no gap (the last chunk at seq 42 over Kafka's limit, the stop_reason at 42.1), nor is a seq-less one
     * after a rejected seq-less frame; seqs missing before a rejected frame are still a gap.
     */
    @Test
    void aRejectedFrameTakesItsPositionLikeAChunk() {
        gapAt("41", "assistant_message");
        sequencer.acceptRecord("r42", RecordType.CHUNK_REJECTED, rejected(), Position.parse("42"));
        assertNull(sequencer.gap());
        assertNull(gapAt("42.1", "stop_reason"));
        sequencer.acceptRecord("r42.2", RecordType.CHUNK_REJECTED, rejected(), Position.parse("42.2"));
        assertNull(gapAt("42.3", "usage_statistics"));
        sequencer.acceptRecord("r50", RecordType.CHUNK_REJECTED, rejected(), Position.parse("50"));
        assertEquals("missing seqs 46 .. 49 before position 50", sequencer.gap());
        assertNull(gapAt("51", "assistant_message"));
    }

    private static LifecycleEvent.ChunkRejected rejected() {
        return new LifecycleEvent.ChunkRejected("oversized", "too large", null, 2_000_000, "{");
    }

    @Test
    void repeatsAreDuplicatesExceptPingsWhichAreKeepalives() {
        gapAt("3", "assistant_message");
        gapAt("3.1", "stop_reason");
        assertEquals(Verdict.KEEPALIVE, chunk("3", "ping"));
        assertEquals(Verdict.DUPLICATE, chunk("3.1", "stop_reason"));
        assertEquals(Verdict.DUPLICATE, chunk("2", "assistant_message"));
        assertEquals(
                Verdict.DELIVER,
                recorder(RecordType.RUN_FINISHED, "f", new LifecycleEvent.RunFinished("end_turn", "completed", null)));
        assertEquals(
                Verdict.DUPLICATE,
                recorder(RecordType.RUN_FINISHED, "f", new LifecycleEvent.RunFinished("end_turn", "completed", null)));
        assertEquals(RecordType.RUN_FINISHED, sequencer.terminalRecord());
    }

    @Test
    void aRunWithoutAnyEndIsTruncated() {
        gapAt("1", "ping");
        gapAt("2", "reasoning_message");
        assertTruncated();
    }

    @Test
    void aSequencerRestoredFromItsSavedStateGoesOnAsIfNeverStopped() throws Exception {
        recorder(RecordType.RUN_ATTACHED, "a", new LifecycleEvent.RunAttached("stream", 2, null));
        gapAt("3", "assistant_message");
        recorder(
                RecordType.CHUNK_REJECTED,
                "r1",
                new LifecycleEvent.ChunkRejected("malformed_json", "bad", null, 3, "{"));
        recorder(RecordType.RUN_GAP, "run-1/gap/9", new LifecycleEvent.RunGap(9, 12L, "trimmed"));
        byte[] saved = Json.MAPPER.writeValueAsBytes(sequencer.state());
        sequencer = new RunSequencer(Json.MAPPER.readValue(saved, RunSequencer.State.class));
        assertEquals(
                Verdict.DUPLICATE,
                recorder(
                        RecordType.CHUNK_REJECTED,
                        "r1",
                        new LifecycleEvent.ChunkRejected("malformed_json", "bad", null, 3, "{")));
        assertEquals(Verdict.DUPLICATE, chunk("3", "assistant_message"));
        assertNull(gapAt("13", "stop_reason"), "after the recorded gap");
        assertEndedInContent();
        assertEquals("missing seq 14 before position 15", gapAt("15", "assistant_message"));
    }

    /**
     * A reader that starts at the log's end (consumer follow) joins runs mid-way: the first chunk it sees of a run is
     * where the run starts for it, not after a gap; gaps after it are still found, and a run whose start it sees
     * (run.attached first) is checked from its start as always.
     */
    @Test
    void aRunJoinedMidwayStartsAtItsFirstChunkSeen() {
        sequencer = RunSequencer.joiningMidway();
        assertNull(gapAt("500", "assistant_message"), "no gap before the first chunk seen");
        assertNull(gapAt("501", "assistant_message"));
        assertEquals("missing seq 502 before position 503", gapAt("503", "assistant_message"));

        sequencer = RunSequencer.joiningMidway();
        assertNull(gapAt("500.2", "usage_statistics"), "a seq-less first chunk too");

        sequencer = RunSequencer.joiningMidway();
        recorder(RecordType.RUN_ATTACHED, "a", new LifecycleEvent.RunAttached("watch", 0, null));
        assertEquals("missing seqs 1 .. 2 before position 3", gapAt("3", "assistant_message"), "its start was seen");

        sequencer = new RunSequencer();
        assertEquals("missing seqs 1 .. 499 before position 500", gapAt("500", "assistant_message"));
    }

    /** A reader that joins a run mid-way at its recorded gap has not missed the seqs before the gap. */
    @Test
    void aRunJoinedMidwayAtARecordedGapReportsOnlyTheRecordedGap() {
        sequencer = RunSequencer.joiningMidway();
        sequencer.acceptRecord(
                "r/gap/151", RecordType.RUN_GAP, new LifecycleEvent.RunGap(151, 5150L, "trimmed"), Position.ofSeq(150));
        assertEquals("missing seqs 151 .. 5150 (recorded by the recorder: trimmed)", sequencer.gap());
        assertNull(sequencer.missingFrames());
        assertNull(gapAt("5151", "assistant_message"), "the chunk right after the recorded gap");
        assertEquals("missing seq 5152 before position 5153", gapAt("5153", "assistant_message"));
    }

    /** A chunk the reader cannot read still takes its place in the run: what is missing before it is a gap. */
    @Test
    void theSeqsMissingBeforeASkippedChunkAreAGap() {
        gapAt("1", "assistant_message");
        gapAt("2", "assistant_message");
        sequencer.skip(Position.ofSeq(5));
        assertEquals("missing seqs 3 .. 4 before position 5", sequencer.gap());
        assertNull(gapAt("6", "assistant_message"));
        sequencer.skip(Position.ofSeq(6));
        assertNull(sequencer.gap(), "a repeat of a seen position changes nothing");
    }
}
