package dev.lsr.consumer.projection.lettacode.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReasoningTextTest {

    @Test
    void restoresBlankLinesBetweenGluedHeadingsAndLeavesOtherTextAlone() {
        assertEquals("**A**\n\n**B**", ReasoningText.normalizeSectionBoundaries("**A****B**"));
        assertEquals(
                "done.\n\n**Next step**\n\nthen",
                ReasoningText.normalizeSectionBoundaries("done.**Next step**\n\nthen"));
        assertEquals("**A**\n\n**B**\n\nx", ReasoningText.normalizeSectionBoundaries("**A****B**\n\nx"));
        for (String unchanged : List.of(
                "", "plain text", "**bold** inline", "a\n**Heading**\n\nb", "**x**\nno blank", "***", "**\n\n")) {
            assertEquals(unchanged, ReasoningText.normalizeSectionBoundaries(unchanged), unchanged);
        }
    }
}
