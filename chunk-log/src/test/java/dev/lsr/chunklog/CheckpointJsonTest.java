package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written checkpoint JSON is byte for byte Jackson's. */
class CheckpointJsonTest {

    private static final String[] TEXTS = {
        null,
        "",
        "agent-1",
        "conv-\"quoted\"",
        "back\\slash",
        "tab\there",
        "é-unicode",
        "line\nbreak",
        "ctl\u0001",
        "del\u007f",
        "run-00000000-0000-4000-8000-000000000005"
    };

    @Test
    void sameBytesAsJackson() {
        Random random = new Random(11);
        for (int i = 0; i < 5_000; i++) {
            String runId = random.nextInt(4) == 0 ? pick(random, 1) : "run-" + Long.toHexString(random.nextLong());
            Position position = new Position(random.nextInt(1_000_000), random.nextInt(4));
            Instant updatedAt = random.nextInt(10) == 0
                    ? null
                    : Instant.ofEpochSecond(
                            random.nextLong(0, 4_000_000_000L),
                            random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            Checkpoint checkpoint = new Checkpoint(
                    runId,
                    position.toString(),
                    RunState.values()[random.nextInt(RunState.values().length)],
                    pick(random, 0),
                    pick(random, 0),
                    updatedAt,
                    random.nextInt(5) == 0 ? 0 : ChunkLogFormat.VERSION);

            assertEquals(new String(checkpoint.jacksonJson(), UTF_8), new String(checkpoint.toJson(), UTF_8));
        }
    }

    @Test
    void plainCheckpointsSkipJacksonAndOthersFallBack() {
        Instant at = Instant.parse("2026-03-14T17:33:23.120Z");
        assertNotNull(
                CheckpointJson.write(Checkpoint.of("run-1", Position.ofSeq(3), RunState.ACTIVE, "agent-1", null, at)));
        assertNull(
                CheckpointJson.write(Checkpoint.of("run-1", Position.ofSeq(3), RunState.ACTIVE, "agent-é", null, at)));
    }

    private static String pick(Random random, int from) {
        return TEXTS[from + random.nextInt(TEXTS.length - from)];
    }
}
