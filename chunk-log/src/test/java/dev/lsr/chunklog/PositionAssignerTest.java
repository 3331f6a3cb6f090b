package dev.lsr.chunklog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PositionAssignerTest {

    @Test
    void aSeqTakesItsOwnPositionAndSeqLessChunksCountOnFromIt() {
        PositionAssigner positions = PositionAssigner.fromStart();
        assertEquals(new Position(0, 1), positions.next(null), "before any seq the base is 0");
        assertEquals(Position.ofSeq(1), positions.next(1L));
        assertEquals(Position.ofSeq(26), positions.next(26L));
        assertEquals(new Position(26, 1), positions.next(null));
        assertEquals(new Position(26, 2), positions.next(-4L), "a negative seq counts as none");
        assertEquals(Position.ofSeq(29), positions.next(29L));
    }

    @Test
    void aRepeatOfTheLastSeqMapsOntoItsPositionWithoutRestartingTheCount() {
        PositionAssigner positions = PositionAssigner.fromStart();
        positions.next(5L);
        assertEquals(new Position(5, 1), positions.next(null));
        assertEquals(Position.ofSeq(5), positions.next(5L), "a keepalive ping repeating seq 5");
        assertEquals(new Position(5, 2), positions.next(null));
    }

    @Test
    void theRecorderStoresNoKeepalivePing() {
        PositionAssigner positions = PositionAssigner.resumingAfter(0);
        assertNull(positions.assign(null, true));
        assertEquals(Position.ofSeq(1), positions.assign(1L, true), "the initial ping's seq is new");
        assertNull(positions.assign(1L, true));
        assertEquals(new Position(1, 1), positions.assign(null, false));
        assertNull(positions.assign(1L, true));
    }

    @Test
    void aResumeStartsFromItsStartingAfter() {
        PositionAssigner positions = PositionAssigner.resumingAfter(26);
        assertEquals(new Position(26, 1), positions.next(null));
        assertEquals(new Position(26, 1), positions.last());
        assertEquals(28, positions.last().nextNumber());
    }
}
