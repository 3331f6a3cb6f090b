package dev.lsr.consumer.projection.lettacode.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MarkdownSplitTest {

    @Test
    void splitsAfterTheLastParagraphBreak() {
        String text = "one\n\ntwo\n\nthree";
        assertEquals("one\n\ntwo\n\n".length(), MarkdownSplit.findLastSafeSplitPoint(text));
    }

    @Test
    void splitsBeforeAnOpenFenceThatEnclosesTheEnd() {
        String text = "intro\n\n```java\nint x;\n\nint y;";
        assertEquals("intro\n\n".length(), MarkdownSplit.findLastSafeSplitPoint(text));
    }

    @Test
    void skipsParagraphBreaksInsideAClosedFence() {
        String text = "a\n\n```\nb\n\nc\n```\nd";
        assertEquals("a\n\n".length(), MarkdownSplit.findLastSafeSplitPoint(text));
    }

    @Test
    void noBreakMeansNoSplit() {
        assertEquals(5, MarkdownSplit.findLastSafeSplitPoint("hello"));
    }
}
