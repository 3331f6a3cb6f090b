package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SseFramesTest {

    /** A run id is the log's (a record's key): whatever it holds, the ping stays one valid JSON line. */
    @Test
    void aKeepaliveEscapesTheRunId() throws Exception {
        String runId = "run-\"x\\y\nz";
        String frame = new String(SseFrames.keepalive(runId, 7, Instant.parse("2026-01-02T03:04:05Z")), UTF_8);
        assertTrue(frame.startsWith("data: {") && frame.endsWith("}\n\n"), frame);
        assertEquals(1, frame.strip().lines().count(), frame);
        JsonNode ping = Json.MAPPER.readTree(frame.substring("data: ".length()).strip());
        assertEquals(runId, ping.get("run_id").asText());
        assertEquals(7, ping.get("seq_id").asLong());
    }

    @Test
    void aPlainRunIdIsWrittenAsLettaWritesIt() {
        String frame = new String(SseFrames.keepalive("run-1", -1, Instant.parse("2026-01-02T03:04:05Z")), UTF_8);
        assertTrue(frame.endsWith(",\"seq_id\":null,\"run_id\":\"run-1\"}\n\n"), frame);
        assertTrue(frame.contains("\"date\":\"2026-01-02T03:04:05+00:00\""), frame);
    }
}
