package dev.lsr.consumer.reader.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.MalformedChunkException;
import dev.lsr.fixtures.LettaFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One parse gives the same peek as {@link ChunkPeek#of}, and fails exactly when and as it does. */
class ParsedChunkTest {

    @Test
    void peekFromTheTreeEqualsTheStreamingPeek() throws Exception {
        List<String> values = List.of(
                "{\"message_type\":\"reasoning_message\",\"run_id\":\"run-1\",\"seq_id\":7,\"reasoning\":\"x\"}",
                "{\"message_type\":\"stop_reason\",\"stop_reason\":\"end_turn\"}",
                "{\"error\":{\"message\":\"boom\"}}",
                "{\"message_type\":3,\"run_id\":null,\"seq_id\":\"7\"}",
                "{\"seq_id\":7.0,\"run_id\":\"\"}",
                "{\"seq_id\":1,\"seq_id\":2,\"message_type\":\"a\",\"message_type\":\"ping\"}",
                "  {\"nested\":{\"message_type\":\"x\",\"seq_id\":[1,2]}}  ");
        for (String value : values) {
            byte[] bytes = value.getBytes(UTF_8);
            ParsedChunk parsed = ParsedChunk.of(bytes);
            assertEquals(ChunkPeek.of(bytes), parsed.peek(), value);
            assertEquals(Json.MAPPER.readTree(bytes), parsed.json(), value);
        }
    }

    @Test
    void fixtureChunksParseOnceWithTheSamePeek() {
        for (String line : LettaFixtures.RUNS.stream()
                .flatMap(run -> LettaFixtures.chunkLines(run).stream())
                .toList()) {
            byte[] bytes = line.getBytes(UTF_8);
            ParsedChunk parsed = ParsedChunk.of(bytes);
            assertEquals(ChunkPeek.of(bytes), parsed.peek());
            assertNotNull(parsed.json());
        }
    }

    @Test
    void malformedValuesFailWithTheStreamingPeeksReason() {
        for (String value : List.of(
                "{\"a\":",
                "[1,2]",
                "\"text\"",
                "",
                "{\"a\":1} {\"b\":2}",
                "{\"a\":1}]",
                "{\"seq_id\":123456789012345678901234567890}")) {
            byte[] bytes = value.getBytes(UTF_8);
            String expected = assertThrows(MalformedChunkException.class, () -> ChunkPeek.of(bytes))
                    .getMessage();
            assertEquals(
                    expected,
                    assertThrows(MalformedChunkException.class, () -> ParsedChunk.of(bytes))
                            .getMessage(),
                    value);
        }
    }
}
