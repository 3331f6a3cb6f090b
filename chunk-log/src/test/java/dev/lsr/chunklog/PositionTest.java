package dev.lsr.chunklog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PositionTest {

    @Test
    void ordersBySeqThenSub() {
        List<Position> sorted = List.of(
                Position.START,
                new Position(0, 1),
                Position.ofSeq(1),
                Position.ofSeq(26),
                new Position(26, 1),
                new Position(26, 2),
                Position.ofSeq(29));
        List<Position> shuffled = new ArrayList<>(sorted);
        Collections.shuffle(shuffled, new Random(7));
        Collections.sort(shuffled);
        assertEquals(sorted, shuffled);
        assertTrue(new Position(26, 2).isAfter(new Position(26, 1)));
        assertTrue(Position.ofSeq(27).isAfter(new Position(26, 9)));
    }

    @Test
    void textFormRoundTrips() {
        assertEquals("380", Position.ofSeq(380).toString());
        assertEquals("380.2", new Position(380, 2).toString());
        for (Position p :
                List.of(Position.START, Position.ofSeq(7), new Position(380, 2), new Position(Long.MAX_VALUE, 3))) {
            assertEquals(p, Position.parse(p.toString()));
        }
    }

    /** Fixture 05: 380 is the last seq; stop_reason took 381, usage_statistics 382, [DONE] 383. */
    @Test
    void aPositionsNumberIsLettasFrameNumber() {
        assertEquals(380, Position.ofSeq(380).number());
        assertEquals(381, Position.ofSeq(380).nextSub().number());
        assertEquals(382, Position.ofSeq(380).nextSub().nextSub().number());
        assertEquals(383, Position.ofSeq(380).nextSub().nextSub().nextNumber());
    }

    @Test
    void nextSubCountsSeqLessChunksAfterTheSameSeq() {
        Position afterText = Position.ofSeq(380);
        assertEquals(new Position(380, 1), afterText.nextSub());
        assertEquals(new Position(380, 2), afterText.nextSub().nextSub());
    }

    @Test
    void rejectsNegativeAndGarbage() {
        assertThrows(IllegalArgumentException.class, () -> new Position(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Position(1, -1));
        assertThrows(IllegalArgumentException.class, () -> Position.parse("12.x"));
        assertThrows(IllegalArgumentException.class, () -> Position.parse(""));
    }
}
