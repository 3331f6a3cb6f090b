package dev.lsr.consumer.projection.lettacode;

import static dev.lsr.consumer.projection.TestChunks.json;
import static dev.lsr.consumer.projection.TestChunks.stop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.TestChunks;
import java.util.List;
import org.junit.jupiter.api.Test;

/** End-of-drain coercions, error paths, resume with cursors and carried approvals, runs of a session. */
class DrainAndResumeRulesTest {

    private final TestChunks c = new TestChunks("run-1");
    private final LettaCodeBuffers b = LettaCodeProjection.newSession(Options.defaults());

    private Line line(String id) {
        return b.lines().stream()
                .filter(l -> l.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line " + id + " in " + b.order()));
    }

    @Test
    void aDropWithoutStopReasonFreezesTheBuffersUntilTheResume() {
        DrainResult first =
                b.drain(List.of(c.ping(1), c.assistant("m", "o", 2, "Hel"), c.serverTool("m", "o2", 3, "t", "f", "{")));
        assertEquals("error", first.stopReason());
        assertFalse(first.sawStopReasonChunk());
        assertTrue(b.interrupted());
        assertTrue(b.awaitingResume());
        assertEquals(Line.ToolPhase.STREAMING, ((Line.ToolCall) line("t")).phase(), "tools are not cancelled yet");

        DrainResult resumed = b.drain(List.of(
                c.serverTool("m", "o2", 3, "t", null, "{"),
                c.serverTool("m", "o2", 4, "t", null, "}"),
                c.toolReturn("message-r", 5, "t", "success", "ok"),
                stop("end_turn")));
        assertEquals("end_turn", resumed.stopReason());
        assertTrue(resumed.resumed());
        assertFalse(b.interrupted());
        assertEquals("{}", ((Line.ToolCall) line("t")).argsText(), "the replayed seq 3 was dropped by the cursor");
    }

    @Test
    void abandoningAPendingResumeCancelsToolsWithStreamErrorAndFinishesTheLine() {
        b.drain(List.of(c.ping(1), c.serverTool("m", "o1", 2, "t", "f", "{"), c.assistant("m", "o2", 3, "par")));
        b.abandonResume();
        assertFalse(b.awaitingResume());
        Line.ToolCall tool = (Line.ToolCall) line("t");
        assertEquals("Stream error", tool.resultText());
        assertFalse(tool.resultOk());
        assertEquals(Line.TextPhase.FINISHED, ((Line.Text) line("m")).phase());
        assertTrue(b.interrupted(), "the failed drain's interrupted flag stays");
        assertEquals("error", b.lastDrainResult().stopReason());
    }

    @Test
    void anErrorStopReasonWithAnErrorFrameIsTerminalNotResumed() {
        DrainResult result = b.drain(List.of(
                c.ping(1),
                c.serverTool("m", "o1", 2, "t", "f", "{"),
                c.assistant("m", "o2", 3, "par"),
                stop("error"),
                c.errorEvent(5, "stream_incomplete", "Stream ended")));
        assertEquals("error", result.stopReason());
        assertTrue(result.sawStopReasonChunk());
        assertFalse(b.awaitingResume());
        assertEquals("Stream error", ((Line.ToolCall) line("t")).resultText());
        assertEquals(Line.TextPhase.FINISHED, ((Line.Text) line("m")).phase());
        assertTrue(b.interrupted());
        assertEquals("Stream ended", result.fallbackError());
    }

    @Test
    void aWriterLevelErrorFrameReportsItsJsonAsFallbackError() {
        Chunk frame = new Chunk(
                json("{\"error\": \"boom\", \"code\": \"INTERNAL_SERVER_ERROR\"}")
                        .json(),
                "error");
        DrainResult result = b.drain(List.of(c.ping(1), stop("error"), frame));
        assertEquals("{\"error\":\"boom\",\"code\":\"INTERNAL_SERVER_ERROR\"}", result.fallbackError());
        assertEquals(
                "error",
                Chunk.fromJsonLine("{\"error\": \"boom\"}").sseEvent(),
                "a JSONL line of that shape is read as an error frame");
    }

    @Test
    void theApprovalDesyncErrorAsDataIsSuppressedAndTheDrainGoesOn() {
        Chunk desync = json("""
                {"message_type":"error_message","run_id":"run-1","error_type":"internal_error",
                 "message":"Invalid: No tool call is currently awaiting approval.","seq_id":2}""");
        DrainResult result = b.drain(List.of(c.ping(1), desync, c.assistant("m", "o", 3, "after"), stop("end_turn")));
        assertEquals("end_turn", result.stopReason());
        assertNull(result.fallbackError());
        assertEquals("after", ((Line.Text) line("m")).text());
        assertEquals(3L, result.lastSeqId());
    }

    @Test
    void anErrorEventEndsTheDrainEvenWhenMoreChunksFollowIt() {
        DrainResult result = b.drain(List.of(
                c.ping(1), c.errorEvent(2, "llm_error", "rate limited"), c.assistant("m", "o", 3, "never read")));
        assertEquals(List.of(), b.order());
        assertEquals("rate limited", result.fallbackError());
        assertEquals(2L, result.lastSeqId());
    }

    @Test
    void approvalsCompleteBeforeTheDropAreCarriedOverTheResume() {
        b.drain(List.of(
                c.ping(1),
                c.approval("message-a", 2, "t1", "Bash", "{\"c\":"),
                c.approval("message-a", 3, "t1", "Bash", "1}")));
        DrainResult resumed = b.drain(List.of(stop("requires_approval"), TestChunks.usage(1, 1, null, 2L, 1)));
        assertEquals("requires_approval", resumed.stopReason());
        assertEquals(List.of(new ApprovalRequest("t1", "Bash", "{\"c\":1}", "message-a")), resumed.approvals());
        assertTrue(b.approvalsPending());
        assertFalse(b.interrupted());
    }

    @Test
    void approvalArgsSplitAcrossTheDropAreConcatenated() {
        b.drain(List.of(c.ping(1), c.approval("message-a", 2, "t1", "Bash", "{\"c\":")));
        DrainResult resumed = b.drain(List.of(
                c.approval("message-a", 2, "t1", "Bash", "{\"c\":"),
                c.approval("message-a", 3, "t1", "Bash", "1}"),
                stop("requires_approval")));
        assertEquals(List.of(new ApprovalRequest("t1", "Bash", "{\"c\":1}", "message-a")), resumed.approvals());
        assertEquals("{\"c\":1}", ((Line.ToolCall) line("t1")).argsText());
    }

    @Test
    void aResumedEndTurnWithCarriedApprovalsBecomesRequiresApproval() {
        b.drain(List.of(c.ping(1), c.approval("message-a", 2, "t1", "Bash", "{}")));
        DrainResult resumed = b.drain(List.of(stop("end_turn")));
        assertEquals("requires_approval", resumed.stopReason());
        assertEquals(1, resumed.approvals().size());
    }

    @Test
    void aResumeAfterADropBeforeAnySeqUsesCursorZeroAndKeepsSeqZeroFiltered() {
        ObjectNodeChunk first = new ObjectNodeChunk(c.base("ping", "ping-x", null, null));
        DrainResult dropped = b.drain(List.of(first.chunk()));
        assertEquals("run-1", dropped.lastRunId());
        assertNull(dropped.lastSeqId());
        assertTrue(b.awaitingResume());
        DrainResult resumed =
                b.drain(List.of(c.assistant("m", "o", 0, "zero"), c.assistant("m", "o", 1, "one"), stop("end_turn")));
        assertEquals("one", ((Line.Text) line("m")).text(), "seq 0 <= cursor 0 is a replay");
        assertEquals(1L, resumed.lastSeqId());
    }

    @Test
    void aDropBeforeAnyRunIdIsResumedByOtidWithoutACursor() {
        DrainResult dropped = b.drain(List.of());
        assertNull(dropped.lastRunId());
        assertTrue(b.awaitingResume());
        DrainResult resumed = b.drain(List.of(c.ping(1), c.assistant("m", "o", 2, "hi"), stop("end_turn")));
        assertEquals("end_turn", resumed.stopReason());
        assertTrue(resumed.resumed());
        assertEquals("hi", ((Line.Text) line("m")).text());
        assertFalse(b.interrupted());
    }

    @Test
    void lastSeqIdZeroIsReportedAsZero() {
        DrainResult result = b.drain(List.of(c.ping(0), stop("end_turn")));
        assertEquals(0L, result.lastSeqId());
    }

    @Test
    void repeatedFailedResumesKeepMovingTheCursor() {
        b.drain(List.of(c.ping(1), c.assistant("m", "o", 2, "a")));
        DrainResult second = b.drain(List.of(c.assistant("m", "o", 2, "a"), c.assistant("m", "o", 3, "b")));
        assertEquals("error", second.stopReason());
        assertEquals(3L, second.lastSeqId());
        assertTrue(b.awaitingResume());
        b.drain(List.of(c.assistant("m", "o", 3, "b"), c.assistant("m", "o", 4, "c"), stop("end_turn")));
        assertEquals("abc", ((Line.Text) line("m")).text());
        assertFalse(b.interrupted());
    }

    @Test
    void theNextRunOfAConversationHasItsOwnCursorAndAFreshTurn() {
        TestChunks next = new TestChunks("run-2");
        b.drain(List.of(
                c.ping(1),
                c.assistant("m1", "o1", 2, "Let me run it."),
                c.approval("message-a", 3, "t1", "Bash", "{}"),
                stop("requires_approval")));
        assertTrue(b.approvalsPending());
        DrainResult second = b.drain(List.of(next.ping(1), next.assistant("m2", "p1", 2, "Done."), stop("end_turn")));
        assertEquals("end_turn", second.stopReason());
        assertEquals(List.of("m1", "t1", "m2"), b.order(), "seq 1-2 of run-2 are not replays of run-1");
        assertFalse(b.approvalsPending());
        assertEquals(
                Line.ToolPhase.FINISHED,
                ((Line.ToolCall) line("t1")).phase(),
                "the answered approval is done; its client-side result is not on the stream");
    }

    @Test
    void aNewTurnAfterACancelledRunClearsInterruptedAndCancelsLeftoverTools() {
        TestChunks next = new TestChunks("run-2");
        b.drain(List.of(
                c.ping(1),
                c.approval("message-a", 2, "t1", "Bash", "{"),
                json("{\"message_type\": \"stop_reason\", \"stop_reason\": \"cancelled\"}")));
        assertTrue(b.interrupted());
        b.drain(List.of(next.ping(1), next.assistant("m2", "p1", 2, "Hi again."), stop("end_turn")));
        assertFalse(b.interrupted());
        assertEquals("Hi again.", ((Line.Text) line("m2")).text());
    }

    @Test
    void withoutRunBoundariesTheNextRunMeetsTheBuffersAsTheyAre() {
        LettaCodeBuffers raw =
                LettaCodeProjection.newSession(Options.defaults().withRunBoundary(Options.RunBoundary.NONE));
        TestChunks next = new TestChunks("run-2");
        raw.drain(List.of(c.ping(1), json("{\"message_type\":\"stop_reason\",\"stop_reason\":\"cancelled\"}")));
        raw.drain(List.of(next.ping(1), next.assistant("m2", "p1", 2, "ignored"), stop("end_turn")));
        assertEquals(List.of(), raw.order(), "Letta Code's onChunk ignores chunks while interrupted");
    }

    @Test
    void aReattachedRunDropsWhatWasAlreadySeenButCountsSeqLessChunksAgain() {
        b.drain(List.of(
                c.ping(1), c.assistant("m", "o", 2, "once"), stop("end_turn"), TestChunks.usage(5, 1, null, 6L, 1)));
        b.drain(List.of(
                c.ping(1), c.assistant("m", "o", 2, "once"), stop("end_turn"), TestChunks.usage(5, 1, null, 6L, 1)));
        assertEquals("once", ((Line.Text) line("m")).text());
        assertEquals(10, b.usage().promptTokens(), "usage carries no seq_id, as in Letta Code");
    }

    @Test
    void anExplicitlyCompletedDrainWithoutStopReasonIsNotInterrupted() {
        DrainResult result = b.drain(List.of(c.ping(1), c.assistant("m", "o", 2, "x")), DrainEnd.COMPLETED);
        assertEquals("error", result.stopReason());
        assertFalse(b.interrupted());
        assertTrue(b.awaitingResume());
    }

    /** A chunk built from a raw node (here: a ping with a null seq_id). */
    private record ObjectNodeChunk(com.fasterxml.jackson.databind.node.ObjectNode node) {
        Chunk chunk() {
            return Chunk.of(node);
        }
    }
}
