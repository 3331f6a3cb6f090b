package dev.lsr.consumer.projection.lettacode;

import static dev.lsr.consumer.projection.TestChunks.stop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.lsr.chunklog.Json;
import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.TestChunks;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Line id resolution, text accumulation and finishing of reasoning and assistant lines. */
class TextLineRulesTest {

    private final TestChunks c = new TestChunks("run-1");

    private static LettaCodeBuffers drain(Chunk... chunks) {
        LettaCodeBuffers buffers = LettaCodeProjection.newSession(Options.defaults());
        buffers.drain(List.of(chunks));
        return buffers;
    }

    private static Line.Text text(LettaCodeBuffers buffers, String id) {
        return buffers.lines().stream()
                .filter(l -> l.id().equals(id))
                .map(Line.Text.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line " + id + " in " + buffers.order()));
    }

    @Test
    void assistantSharingTheReasoningMessageIdIsPrefixedWithItsKind() {
        LettaCodeBuffers b = drain(
                c.ping(1), c.reasoning("m", "o0", 2, "think"), c.assistant("m", "o1", 3, "say"), stop("end_turn"));
        assertEquals(List.of("m", "assistant:m"), b.order());
        assertEquals("say", text(b, "assistant:m").text());
        assertEquals("assistant:m", b.lastOtid());
    }

    @Test
    void aSecondBlockOfTheSameKindInAStepGetsItsOtidAsLineId() {
        LettaCodeBuffers b = drain(
                c.reasoning("m", "o0", 1, "first"),
                c.assistant("m", "o1", 2, "text"),
                c.reasoning("m", "o2", 3, "second"),
                c.assistant("m", "o3", 4, "more"),
                stop("end_turn"));
        assertEquals(List.of("m", "assistant:m", "o2", "o3"), b.order());
        assertEquals("second", text(b, "o2").text());
        assertEquals("more", text(b, "o3").text());
        b.lines().forEach(line -> assertEquals(Line.TextPhase.FINISHED, ((Line.Text) line).phase()));
    }

    @Test
    void aNewOtidOnAStreamingLineAlreadyAliasedByAnotherOtidStartsANewLine() {
        LettaCodeBuffers b = drain(c.reasoning("m", "o0", 1, "a"), c.reasoning("m", "o1", 2, "b"), stop("end_turn"));
        assertEquals(List.of("m", "o1"), b.order());
        assertEquals(Line.TextPhase.FINISHED, text(b, "m").phase(), "the transition finished the first block");
    }

    @Test
    void chunksWithOnlyAnIdOrOnlyAnOtidStayOnTheLineBothAliasesPointTo() {
        Chunk both = c.assistant("m", "o", 1, "a");
        Chunk idOnly = c.assistant("m", null, 2, "b");
        Chunk otidOnly = c.assistant(null, "o", 3, "c");
        LettaCodeBuffers b = drain(both, idOnly, otidOnly, stop("end_turn"));
        assertEquals(List.of("m"), b.order());
        assertEquals("abc", text(b, "m").text());
    }

    @Test
    void conflictingAliasesPreferTheMessageIdWhenBothLinesExist() {
        LettaCodeBuffers b = drain(
                c.assistant("m1", "o1", 1, "one"),
                c.assistant("m2", "o2", 2, "two"),
                c.assistant("m1", "o2", 3, "+"),
                stop("end_turn"));
        assertEquals(List.of("m1", "m2"), b.order());
        assertEquals("one+", text(b, "m1").text());
        assertEquals("two", text(b, "m2").text());
    }

    @Test
    void aChunkWithNeitherIdNorOtidIsIgnored() {
        LettaCodeBuffers b = drain(c.assistant(null, null, 1, "lost"), stop("end_turn"));
        assertEquals(List.of(), b.order());
        assertEquals(0, b.tokenCount());
    }

    @Test
    void anEmptyDeltaOnlyRefreshesTheMessageId() {
        LettaCodeBuffers b = drain(c.reasoning("m1", "o", 1, "abc"), c.reasoning("m2", "o", 2, ""), stop("end_turn"));
        assertEquals(List.of("m1"), b.order());
        assertEquals("abc", text(b, "m1").text());
        assertEquals("m2", text(b, "m1").messageId());
        assertEquals(3, b.tokenCount());
    }

    @Test
    void tokenCountIsUtf8BytesOfEveryDelta() {
        LettaCodeBuffers b = drain(
                c.assistant("m", "o", 1, "é"),
                c.assistant("m", "o", 2, "€"),
                c.assistant("m", "o", 3, "😀"),
                stop("end_turn"));
        assertEquals(2 + 3 + 4, b.tokenCount());
    }

    @Test
    void assistantContentPartsAreFlattened() {
        ArrayNode parts = Json.MAPPER.createArrayNode();
        parts.addObject().put("type", "text").put("text", "Hello ");
        parts.addObject().put("type", "image");
        parts.addObject().put("type", "text").put("text", "world");
        LettaCodeBuffers b = drain(
                c.assistantContent("m", "o", 1, parts),
                c.assistantContent("m", "o", 2, Json.MAPPER.createObjectNode().put("delta", "!")),
                stop("end_turn"));
        assertEquals("Hello world!", text(b, "m").text());
    }

    @Test
    void reasoningSectionBoundariesAreNormalizedAndTrailingNewlinesTrimmedOnFinish() {
        LettaCodeBuffers b = drain(
                c.reasoning("m", "o", 1, "**Plan**\n\nStep one.**Next**\n\nGo****Then**"),
                c.reasoning("m", "o", 2, "\n\n"),
                stop("end_turn"));
        assertEquals(
                "**Plan**\n\nStep one.\n\n**Next**\n\nGo**\n\n**Then**",
                text(b, "m").text());
    }

    @Test
    void theLastLineStaysStreamingWhenTheDrainEndsWithError() {
        LettaCodeBuffers b = drain(c.ping(1), c.assistant("m", "o", 2, "partial"));
        assertEquals(Line.TextPhase.STREAMING, text(b, "m").phase());
        assertEquals("error", b.lastDrainResult().stopReason());
        assertNull(text(b, "m").isContinuation());
    }

    @Test
    void aToolChunkTransitionFinishesTheTextLineAndTakesLastOtidFromTheChunk() {
        LettaCodeBuffers b =
                drain(c.assistant("m", "o1", 1, "calling"), c.serverTool("m", "o2", 2, "call_1", "web_search", "{}"));
        assertEquals(Line.TextPhase.FINISHED, text(b, "m").phase());
        assertEquals("o2", b.lastOtid());
    }
}
