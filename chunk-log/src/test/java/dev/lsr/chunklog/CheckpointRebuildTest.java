package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CheckpointRebuildTest {

    private static final Instant AT = Instant.parse("2026-03-15T09:12:44.031Z");

    @Test
    void roundTripsThroughTheDocumentedJson() {
        CheckpointRebuild rebuild = CheckpointRebuild.of(5_818, AT);
        assertEquals(
                "{\"log_start_offset\":5818,\"rebuilt_at\":\"2026-03-15T09:12:44.031Z\",\"format_version\":1}",
                new String(rebuild.toJson(), UTF_8));
        assertEquals(rebuild, CheckpointRebuild.fromJson(rebuild.toJson()));
    }

    @Test
    void coversTheDeletionsUpToItsOffsetAndNoLaterOne() {
        CheckpointRebuild rebuild = CheckpointRebuild.of(100, AT);
        assertTrue(rebuild.covers(1));
        assertTrue(rebuild.covers(100));
        assertFalse(rebuild.covers(101));
    }

    @Test
    void aNewerVersionOrAMissingFieldIsUnreadable() {
        assertThrows(
                NewerFormatException.class,
                () -> CheckpointRebuild.fromJson(
                        "{\"log_start_offset\":1,\"rebuilt_at\":\"2026-03-15T09:12:44Z\",\"format_version\":2}"
                                .getBytes(UTF_8)));
        assertThrows(
                UnreadableRecordException.class,
                () -> CheckpointRebuild.fromJson("{\"log_start_offset\":1,\"format_version\":1}".getBytes(UTF_8)));
        assertThrows(UnreadableRecordException.class, () -> CheckpointRebuild.fromJson("[]".getBytes(UTF_8)));
    }

    @Test
    void theLogsOwnKeysAreNoRunIds() {
        assertEquals("__lsr.checkpoints-rebuilt", CheckpointRebuild.KEY);
        assertFalse(CheckpointKeys.isRun(CheckpointRebuild.KEY));
        assertFalse(CheckpointKeys.isRun(LogLayout.KEY));
        assertTrue(CheckpointKeys.isRun("run-4ca67353-d824-444b-81c1-56cf264ca243"));
    }

    @Test
    void aNullValueIsUnreadable() {
        assertThrows(UnreadableRecordException.class, () -> CheckpointRebuild.fromJson("null".getBytes(UTF_8)));
    }
}
