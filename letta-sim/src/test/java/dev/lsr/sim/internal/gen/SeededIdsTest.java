package dev.lsr.sim.internal.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SeededIdsTest {

    @Test
    void otidsReplaceTheLowSevenBitsWithTheBlockIndex() {
        UUID message = UUID.fromString("6826d0c5-0f7c-4c6f-99ae-ea4ea50202df");
        assertEquals("6826d0c5-0f7c-4c6f-99ae-ea4ea5020280", SeededIds.otid(message, 0));
        assertEquals("6826d0c5-0f7c-4c6f-99ae-ea4ea5020283", SeededIds.otid(message, 3));
        assertEquals(
                "eae3732d-38c1-45d6-9a1f-7aa536eafa01",
                SeededIds.otid(UUID.fromString("eae3732d-38c1-45d6-9a1f-7aa536eafa28"), 1));
    }

    @Test
    void approvalIdsAreTheStepMessageIdMinusOne() {
        assertEquals(
                UUID.fromString("285f0789-65f5-4299-bc83-ab74842a0943"),
                SeededIds.minusOne(UUID.fromString("285f0789-65f5-4299-bc83-ab74842a0944")));
        assertEquals(
                UUID.fromString("00000000-0000-0000-ffff-ffffffffffff"),
                SeededIds.minusOne(UUID.fromString("00000000-0000-0001-0000-000000000000")),
                "borrows across halves");
    }

    @Test
    void sameSeedSameIdsAndThoseAreVersionFourUuids() {
        SeededIds first = new SeededIds(new SplittableRandom(42));
        SeededIds second = new SeededIds(new SplittableRandom(42));
        UUID id = first.uuid();
        assertEquals(id, second.uuid());
        assertEquals(4, id.version());
        assertEquals(2, id.variant());
        assertNotEquals(id, first.uuid());
        assertTrue(first.anthropicToolCallId().matches("toolu_01[0-9A-Za-z]{22}"));
        assertTrue(first.openAiToolCallId().matches("call_[0-9A-Za-z]{24}"));
    }
}
