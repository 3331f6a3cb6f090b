package dev.lsr.chunklog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleEventTest {

    @Test
    void everyEventRoundTripsUnderItsRecordType() throws Exception {
        JsonNode run = Json.MAPPER.readTree("{\"id\":\"run-1\",\"status\":\"running\",\"agent_id\":\"agent-1\"}");
        List<LifecycleEvent> events = List.of(
                new LifecycleEvent.RunAttached("watch", 0, run),
                new LifecycleEvent.RunResumed(3, 150, "io_error"),
                new LifecycleEvent.RunGap(151, 5150L, "trimmed"),
                new LifecycleEvent.RunGap(151, null, "expired"),
                new LifecycleEvent.RunFinished("end_turn", "completed", run),
                new LifecycleEvent.RunRefused(
                        RecordType.RUN_EXPIRED, 410, "Run was created more than 3 hours ago, and is now expired."),
                new LifecycleEvent.RunRefused(RecordType.RUN_GONE, 404, "Run not found"),
                new LifecycleEvent.RunRefused(
                        RecordType.RUN_NOT_RESUMABLE,
                        400,
                        "Run was not created in background mode, so it cannot be retrieved."),
                new LifecycleEvent.RunAbandoned("running", Instant.parse("2026-03-14T17:24:20Z"), 600_000),
                new LifecycleEvent.ChunkRejected("malformed_json", "chunk is not valid JSON", null, 9, "not json!"),
                new LifecycleEvent.ConnectionError(
                        "error", Json.MAPPER.readTree("{\"error\": \"boom\", \"code\": \"INTERNAL_SERVER_ERROR\"}")));
        for (LifecycleEvent event : events) {
            assertEquals(
                    event,
                    LifecycleEvent.fromJson(event.type(), event.toJson()),
                    event.type().name());
        }
    }

    @Test
    void valuesUseSnakeCaseFields() throws Exception {
        JsonNode json = Json.MAPPER.readTree(new LifecycleEvent.RunResumed(2, 150, "eof").toJson());
        assertEquals(150, json.get("starting_after").asInt());
        assertEquals("eof", json.get("cause").asText());
    }

    @Test
    void aGapToTheEndOfTheRunLeavesOutItsEnd() throws Exception {
        LifecycleEvent.RunGap gap = new LifecycleEvent.RunGap(151, null, "expired");
        assertEquals(
                "{\"from\":151,\"cause\":\"expired\"}",
                new String(gap.toJson(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(-1, gap.missing());
        assertThrows(IllegalArgumentException.class, () -> new LifecycleEvent.RunGap(10, 9L, "trimmed"));
    }

    @Test
    void aValueThatDoesNotFitItsTypeIsUnreadable() {
        assertThrows(
                UnreadableRecordException.class,
                () -> LifecycleEvent.fromJson(RecordType.RUN_RESUMED, "[]".getBytes()));
        assertThrows(
                IllegalArgumentException.class,
                () -> new LifecycleEvent.RunRefused(RecordType.RUN_FINISHED, 200, "no"));
    }
}
