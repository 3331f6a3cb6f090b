package dev.lsr.chunklog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CheckpointTest {

    @Test
    void roundTripsThroughJson() {
        Checkpoint checkpoint = Checkpoint.of(
                "run-1", new Position(380, 2), RunState.ACTIVE, "agent-1", null, Instant.parse("2026-03-14T17:33:23Z"));
        Checkpoint read = Checkpoint.fromJson(checkpoint.toJson());
        assertEquals(checkpoint, read);
        assertEquals(new Position(380, 2), read.lastPosition());
    }

    @Test
    void garbageIsUnreadable() {
        assertThrows(UnreadableRecordException.class, () -> Checkpoint.fromJson("{\"run_id\":1".getBytes()));
    }

    @Test
    void aStateOrFormatVersionFromANewerRecorderIsUnreadable() {
        assertThrows(
                UnreadableRecordException.class,
                () -> Checkpoint.fromJson(
                        "{\"run_id\":\"run-1\",\"position\":\"9\",\"state\":\"PAUSED\",\"format_version\":1}"
                                .getBytes()));
        NewerFormatException newer = assertThrows(
                NewerFormatException.class,
                () -> Checkpoint.fromJson(
                        "{\"run_id\":\"run-1\",\"position\":\"9\",\"state\":\"ACTIVE\",\"format_version\":2}"
                                .getBytes()));
        assertEquals(2, newer.version());
    }

    /** JSON {@code null} (a tombstone-like value written by hand) or a bad position is unreadable, not a crash later. */
    @Test
    void aNullValueOrAnUnparseablePositionIsUnreadable() {
        assertThrows(UnreadableRecordException.class, () -> Checkpoint.fromJson("null".getBytes()));
        assertThrows(
                UnreadableRecordException.class,
                () -> Checkpoint.fromJson(
                        "{\"run_id\":\"run-1\",\"position\":\"x\",\"state\":\"ACTIVE\",\"format_version\":1}"
                                .getBytes()));
        assertThrows(
                UnreadableRecordException.class,
                () -> Checkpoint.fromJson(
                        "{\"run_id\":\"run-1\",\"position\":\"-1\",\"state\":\"ACTIVE\",\"format_version\":1}"
                                .getBytes()));
    }
}
