package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.fixtures.LettaFixtures;
import org.junit.jupiter.api.Test;

class ChunkPeekTest {

    @Test
    void agreesWithAFullParseOnEveryFixtureChunk() throws Exception {
        for (String run : LettaFixtures.RUNS) {
            for (String line : LettaFixtures.chunkLines(run)) {
                JsonNode tree = Json.MAPPER.readTree(line);
                ChunkPeek peek = ChunkPeek.of(line.getBytes(UTF_8));
                assertEquals(text(tree, "message_type"), peek.messageType(), line);
                assertEquals(text(tree, "run_id"), peek.runId(), line);
                assertEquals(
                        tree.path("seq_id").isIntegralNumber()
                                ? tree.get("seq_id").asLong()
                                : null,
                        peek.seqId(),
                        line);
            }
        }
    }

    @Test
    void readsTheSpacedCancelledStopReason() {
        ChunkPeek peek =
                ChunkPeek.of("{\"message_type\": \"stop_reason\", \"stop_reason\": \"cancelled\"}".getBytes(UTF_8));
        assertEquals("stop_reason", peek.messageType());
        assertNull(peek.seqId());
    }

    @Test
    void writerLevelErrorHasNoMessageType() {
        ChunkPeek peek = ChunkPeek.of("{\"error\": \"boom\", \"code\": \"INTERNAL_SERVER_ERROR\"}".getBytes(UTF_8));
        assertNull(peek.messageType());
    }

    /** Valid JSON with an object or an array where one of the three fields is expected: read as absent, not malformed. */
    @Test
    void aContainerUnderOneOfItsFieldsIsNoValueNotMalformedJson() {
        ChunkPeek peek = ChunkPeek.of(
                "{\"run_id\":{\"id\":\"r\"},\"message_type\":[\"x\",{\"a\":1}],\"seq_id\":5}".getBytes(UTF_8));
        assertNull(peek.runId());
        assertNull(peek.messageType());
        assertEquals(5L, peek.seqId());
        assertNull(ChunkPeek.of("{\"seq_id\":[5]}".getBytes(UTF_8)).seqId());
    }

    @Test
    void rejectsWhatIsNotOneJsonObject() {
        for (String bad : new String[] {"not json", "[1,2]", "{\"a\":1} trailing", "{\"a\":", ""}) {
            MalformedChunkException e =
                    assertThrows(MalformedChunkException.class, () -> ChunkPeek.of(bad.getBytes(UTF_8)));
            assertTrue(e.getMessage().startsWith("chunk "), e.getMessage());
        }
    }

    private static String text(JsonNode tree, String field) {
        JsonNode node = tree.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
