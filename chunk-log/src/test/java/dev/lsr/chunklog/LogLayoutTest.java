package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogLayoutTest {

    @Test
    void roundTripsThroughTheDocumentedJson() {
        LogLayout layout = LogLayout.of(6, Instant.parse("2026-03-14T17:30:00.120Z"));
        assertEquals(
                "{\"partitions\":6,\"created_at\":\"2026-03-14T17:30:00.120Z\",\"format_version\":1}",
                new String(layout.toJson(), UTF_8));
        assertEquals(layout, LogLayout.fromJson(layout.toJson()));
    }

    @Test
    void aNewerVersionOrNoPartitionCountIsUnreadable() {
        assertThrows(
                NewerFormatException.class,
                () -> LogLayout.fromJson("{\"partitions\":6,\"format_version\":2}".getBytes(UTF_8)));
        assertThrows(
                UnreadableRecordException.class, () -> LogLayout.fromJson("{\"format_version\":1}".getBytes(UTF_8)));
        assertThrows(UnreadableRecordException.class, () -> LogLayout.fromJson("[]".getBytes(UTF_8)));
    }

    @Test
    void itsKeyIsNoRunId() {
        assertEquals("__lsr.layout", LogLayout.KEY);
    }

    @Test
    void aNullValueIsUnreadable() {
        assertThrows(UnreadableRecordException.class, () -> LogLayout.fromJson("null".getBytes(UTF_8)));
    }
}
