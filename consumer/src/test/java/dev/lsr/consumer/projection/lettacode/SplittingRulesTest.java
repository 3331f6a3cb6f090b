package dev.lsr.consumer.projection.lettacode;

import static dev.lsr.consumer.projection.TestChunks.stop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.TestChunks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Token-streaming splitting of long assistant text (rendering only, off by default). */
class SplittingRulesTest {

    private final TestChunks c = new TestChunks("run-1");

    private List<Chunk> paragraphs(String id, int count) {
        List<Chunk> chunks = new ArrayList<>();
        long seq = 1;
        chunks.add(c.reasoning(id, "o0", seq++, "Long reasoning paragraph.\n\n".repeat(80)));
        for (int i = 0; i < count; i++) {
            String breakBefore = i == 0 ? "" : "\n\n";
            chunks.add(c.assistant(id, "o1", seq++, breakBefore + "Paragraph " + i + " " + "x".repeat(380) + "."));
        }
        chunks.add(c.assistant(id, "o1", seq, "The end."));
        chunks.add(stop("end_turn"));
        return chunks;
    }

    @Test
    void longAssistantTextIsSplitIntoFinishedHeadsAndAContinuationTail() {
        LettaCodeBuffers b = LettaCodeProjection.newSession(Options.defaults().withTokenStreaming(true));
        b.drain(paragraphs("m", 9));
        List<String> order = b.order();
        assertEquals(
                List.of("m", "assistant:m-split-0", "assistant:m-split-1", "assistant:m"),
                order,
                "reasoning lines are not split in 0.32.18");
        Line.Assistant first = (Line.Assistant) b.lines().get(1);
        Line.Assistant second = (Line.Assistant) b.lines().get(2);
        Line.Assistant tail = (Line.Assistant) b.lines().get(3);
        assertFalse(first.isContinuation());
        assertTrue(second.isContinuation());
        assertTrue(tail.isContinuation());
        assertEquals(Line.TextPhase.FINISHED, first.phase());
        assertTrue(first.text().length() >= 1500 - 400 && first.text().endsWith("\n\n"));
        String whole = first.text() + second.text() + tail.text();
        LettaCodeBuffers plain = LettaCodeProjection.newSession(Options.defaults());
        plain.drain(paragraphs("m", 9));
        assertEquals(((Line.Text) plain.lines().get(1)).text(), whole, "splitting loses no text");
        assertNull(((Line.Text) plain.lines().get(1)).isContinuation());
        assertEquals(plain.tokenCount(), b.tokenCount());
    }
}
