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
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tool call, approval and tool return lines. */
class ToolLineRulesTest {

    private final TestChunks c = new TestChunks("run-1");

    private static LettaCodeBuffers drain(Chunk... chunks) {
        LettaCodeBuffers buffers = LettaCodeProjection.newSession(Options.defaults());
        buffers.drain(List.of(chunks));
        return buffers;
    }

    private static Line.ToolCall tool(LettaCodeBuffers buffers, String id) {
        return buffers.lines().stream()
                .filter(l -> l.id().equals(id))
                .map(Line.ToolCall.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no tool line " + id + " in " + buffers.order()));
    }

    @Test
    void argumentsConcatenatePerToolCallIdAndTheFirstNameWins() {
        LettaCodeBuffers b = drain(
                c.serverTool("m", "o", 1, "call_1", "web_search", null),
                c.serverTool("m", "o", 2, "call_1", null, "{\"q\":"),
                c.serverTool("m", "o", 3, "call_1", "other_name", "\"x\"}"),
                c.toolReturn("message-r", 4, "call_1", "success", "result"),
                stop("end_turn"));
        Line.ToolCall line = tool(b, "call_1");
        assertEquals("web_search", line.name());
        assertEquals("{\"q\":\"x\"}", line.argsText());
        assertEquals(Line.ToolPhase.FINISHED, line.phase());
        assertEquals("result", line.resultText());
        assertTrue(line.resultOk());
        assertEquals(Map.of("call_1", "call_1"), b.toolCallIdToLineId());
    }

    @Test
    void interleavedParallelFragmentsAreResolvedByToolCallId() {
        LettaCodeBuffers b = drain(
                c.serverTool("m", "o", 1, "a", "f", "{\"x\""),
                c.serverTool("m", "o", 2, "b", "g", "{\"y\""),
                c.serverTool("m", "o", 3, "a", null, ":1}"),
                c.serverTool("m", "o", 4, "b", null, ":2}"));
        assertEquals("{\"x\":1}", tool(b, "a").argsText());
        assertEquals("{\"y\":2}", tool(b, "b").argsText());
    }

    @Test
    void stepModeToolCallsArrayRendersOnlyTheFirstCallButCollectsEveryApproval() {
        Chunk stepMode = json("""
                {"id":"message-a","message_type":"approval_request_message","otid":"message-a","seq_id":5,
                 "run_id":"run-1","tool_call":null,
                 "tool_calls":[{"name":"Read","arguments":"{\\"p\\":1}","tool_call_id":"t1"},
                               {"name":"Bash","arguments":"{\\"c\\":2}","tool_call_id":"t2"}]}""");
        LettaCodeBuffers b = drain(stepMode, stop("requires_approval"));
        assertEquals(List.of("t1"), b.order());
        assertEquals(Line.ToolPhase.READY, tool(b, "t1").phase());
        List<ApprovalRequest> approvals = b.lastDrainResult().approvals();
        assertEquals(
                List.of(
                        new ApprovalRequest("t1", "Read", "{\"p\":1}", "message-a"),
                        new ApprovalRequest("t2", "Bash", "{\"c\":2}", "message-a")),
                approvals);
        assertTrue(b.approvalsPending());
    }

    @Test
    void anApprovalOnALineAlreadyFinishedLeavesItFinished() {
        LettaCodeBuffers b = drain(
                c.serverTool("m", "o", 1, "call_1", "web_search", "{}"),
                c.toolReturn("message-r", 2, "call_1", "error", "boom"),
                c.approval("message-x", 3, "call_1", "web_search", " "),
                stop("end_turn"));
        Line.ToolCall line = tool(b, "call_1");
        assertEquals(Line.ToolPhase.FINISHED, line.phase());
        assertFalse(line.resultOk());
        assertEquals("{} ", line.argsText(), "arguments are still appended");
        assertFalse(b.approvalsPending());
        assertEquals(
                "requires_approval",
                b.lastDrainResult().stopReason(),
                "end_turn with collected approvals is coerced to requires_approval");
    }

    @Test
    void aToolReturnForAnUnknownToolCallIdIsDropped() {
        LettaCodeBuffers b = drain(c.toolReturn("message-r", 1, "nobody", "success", "x"), stop("end_turn"));
        assertEquals(List.of(), b.order());
    }

    @Test
    void aNonStringToolReturnIsStringifiedAsJavaScriptWouldAndErrorsAreNotOk() {
        Chunk ret = json("""
                {"id":"message-r","message_type":"tool_return_message","otid":"r","seq_id":2,"run_id":"run-1",
                 "tool_returns":[{"type":"tool","tool_call_id":"call_1","status":"error",
                                  "tool_return":[{"type":"text","text":"a"},{"n":1.0,"big":1e21,"small":1.5e-7}]}]}""");
        LettaCodeBuffers b = drain(c.serverTool("m", "o", 1, "call_1", "f", "{}"), ret, stop("end_turn"));
        Line.ToolCall line = tool(b, "call_1");
        assertEquals(
                "[{\"type\":\"text\",\"text\":\"a\"},{\"n\":1,\"big\":1e+21,\"small\":1.5e-7}]", line.resultText());
        assertFalse(line.resultOk());
    }

    @Test
    void theDeprecatedTopLevelReturnIsUsedWhenToolReturnsIsEmptyAndRemovesThePendingApproval() {
        Chunk ret = json("""
                {"id":"message-r","message_type":"tool_return_message","otid":"r","seq_id":3,"run_id":"run-1",
                 "tool_return":"done","status":"success","tool_call_id":"t1","tool_returns":[]}""");
        LettaCodeBuffers b = drain(c.approval("message-a", 1, "t1", "Bash", "{}"), ret, stop("end_turn"));
        assertEquals("done", tool(b, "t1").resultText());
        assertEquals(List.of(), b.lastDrainResult().approvals());
        assertEquals("end_turn", b.lastDrainResult().stopReason());
    }

    @Test
    void endTurnRemovesToolLinesThatNeverFinished() {
        LettaCodeBuffers b = drain(c.serverTool("m", "o", 1, "orphan", "f", "{"), stop("end_turn"));
        assertEquals(List.of(), b.order());
        assertEquals(Map.of(), b.toolCallIdToLineId());
    }

    @Test
    void llmApiErrorRemovesIncompleteToolsAndKeepsFinishedOnes() {
        LettaCodeBuffers b = drain(
                c.serverTool("m", "o", 1, "done", "f", "{}"),
                c.toolReturn("message-r", 2, "done", "success", "ok"),
                c.serverTool("m2", "o2", 3, "half", "g", "{\"a"),
                stop("error"),
                stop("llm_api_error"),
                c.errorEvent(6, "internal_error", "An error occurred during agent execution."));
        assertEquals(List.of("done"), b.order());
        assertEquals(Map.of("done", "done"), b.toolCallIdToLineId());
        assertFalse(b.interrupted());
        DrainResult result = b.lastDrainResult();
        assertEquals("llm_api_error", result.stopReason());
        assertEquals(6L, result.lastSeqId());
        assertEquals("An error occurred during agent execution.", result.fallbackError());
    }

    @Test
    void cancelledMarksIncompleteToolsInterruptedByUser() {
        LettaCodeBuffers b = drain(
                c.assistant("m", "o1", 1, "fetching"),
                c.serverTool("m", "o2", 2, "t", "f", "{\"u"),
                json("{\"message_type\": \"stop_reason\", \"stop_reason\": \"cancelled\"}"));
        Line.ToolCall line = tool(b, "t");
        assertEquals(Line.ToolPhase.FINISHED, line.phase());
        assertEquals("Interrupted by user", line.resultText());
        assertFalse(line.resultOk());
        assertTrue(b.interrupted());
        assertEquals("cancelled", b.lastDrainResult().stopReason());
    }

    @Test
    void cancelAtAStepBoundaryStillCountsTheUsageThatFollows() {
        LettaCodeBuffers b = drain(
                c.assistant("m", "o1", 1, "half a sent"), stop("cancelled"), TestChunks.usage(100, 5, null, 105L, 1));
        assertEquals(100, b.usage().promptTokens());
        assertTrue(b.interrupted());
        Line.Text line = (Line.Text) b.lines().getFirst();
        assertEquals(Line.TextPhase.FINISHED, line.phase());
    }

    @Test
    void usageSumsCountersSkipsNullsAndKeepsTheLastContextSnapshot() {
        LettaCodeBuffers b =
                drain(TestChunks.usage(10, 2, 4L, 12L, 1), TestChunks.usage(20, 3, null, 33L, 1), stop("end_turn"));
        Usage usage = b.usage();
        assertEquals(new Usage(30, 5, 35, 4, 0, 0, 2, 33L), usage);
    }

    @Test
    void usageWithoutContextTokensLeavesItUnset() {
        LettaCodeBuffers b =
                drain(json("{\"message_type\":\"usage_statistics\",\"prompt_tokens\":1,\"step_count\":1}"));
        assertNull(b.usage().contextTokens());
        assertEquals(1, b.usage().stepCount());
    }
}
