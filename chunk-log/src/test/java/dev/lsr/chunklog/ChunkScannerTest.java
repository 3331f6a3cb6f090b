package dev.lsr.chunklog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lsr.fixtures.LettaFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The byte scanner answers only what the streaming parser answers: over every fixture chunk, hand-made
 * edge cases and 200,000 random mutations of them, whenever it returns a peek the parser returns the
 * same one (never an error); and it does answer for the plain chunks Letta sends, else it would be no
 * fast path.
 */
class ChunkScannerTest {

    private static final byte[] JSON_BYTES = "{}[]\",:\\ \n\t0123456789-+.eEtrufalsn_u\u00e9".getBytes(UTF_8);

    @Test
    void answersForEveryFixtureChunkAsTheParserDoes() {
        List<byte[]> chunks = fixtureChunks();
        for (byte[] chunk : chunks) {
            ChunkPeek scanned = ChunkScanner.peek(chunk);
            assertNotNull(scanned, () -> "no fast answer for " + new String(chunk, UTF_8));
            assertEquals(ChunkPeek.parse(chunk), scanned, () -> new String(chunk, UTF_8));
        }
        assertTrue(chunks.size() > 900, "fixture chunks: " + chunks.size());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                " {\"seq_id\": -0 } ",
                "{\"seq_id\":123456789012345678}",
                "{\"seq_id\":1234567890123456789}",
                "{\"seq_id\":99999999999999999999}",
                "{\"seq_id\":1.5}",
                "{\"seq_id\":1e3}",
                "{\"seq_id\":\"7\"}",
                "{\"seq_id\":null,\"seq_id\":4}",
                "{\"seq_id\":01}",
                "{\"seq_id\":-}",
                "{\"seq_id\":{\"a\":1},\"x\":2}",
                "{\"message_type\":[1],\"x\":2}",
                "{\"message_type\":\"a\\\"b\"}",
                "{\"message_type\":\"caf\u00e9\",\"run_id\":\"run-1\"}",
                "{\"message_type\":7,\"run_id\":true}",
                "{\"mess\\u0061ge_type\":\"x\"}",
                "{\"a\":{\"seq_id\":5,\"message_type\":\"ping\"},\"b\":[1,2,{\"c\":[]}]}",
                "{\"a\":\"\\q\"}",
                "{\"a\":\"\\u12G4\"}",
                "{\"a\":\"tab\there\"}",
                "{\"a\":tru}",
                "{\"a\":nullx}",
                "{\"a\":1,}",
                "{,\"a\":1}",
                "{\"a\":1}{}",
                "{\"a\":1} x",
                "[1]",
                "",
                "   ",
                "{\"a\" 1}",
                "{\"a\":1.}",
                "{\"a\":1e}",
                "{\"a\":-1.25E+10}",
                "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}"
            })
    void agreesWithTheParserOnEdgeCases(String json) {
        assertAgrees(json.getBytes(UTF_8));
    }

    @Test
    void refusesBytesThatAreNotWellFormedUtf8() {
        byte[] overlong = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        byte[] truncated = {'{', '"', 'a', '"', ':', '"', (byte) 0xE2, (byte) 0x82, '"', '}'};
        assertNull(ChunkScanner.peek(overlong));
        assertNull(ChunkScanner.peek(truncated));
    }

    @Test
    void agreesWithTheParserOnRandomMutations() {
        Random random = new Random(14);
        List<byte[]> chunks = fixtureChunks();
        for (int i = 0; i < 200_000; i++) {
            assertAgrees(mutate(chunks.get(random.nextInt(chunks.size())), random));
        }
    }

    /** Jackson refuses names longer than 50,000 bytes anywhere; the scanner must not accept one nested deeper. */
    @Test
    void agreesWithTheParserOnANestedKeyLongerThanJacksonAllows() {
        String name = "a".repeat(50_001);
        byte[] json =
                ("{\"message_type\":\"tool_return_message\",\"seq_id\":7,\"x\":{\"" + name + "\":1}}").getBytes(UTF_8);
        assertThrows(MalformedChunkException.class, () -> ChunkPeek.parse(json));
        assertAgrees(json);
    }

    private static void assertAgrees(byte[] json) {
        ChunkPeek scanned = ChunkScanner.peek(json);
        if (scanned == null) {
            return;
        }
        try {
            assertEquals(ChunkPeek.parse(json), scanned, () -> new String(json, UTF_8));
        } catch (MalformedChunkException e) {
            fail("the scanner accepted what the parser rejects (" + e.getMessage() + "): " + new String(json, UTF_8));
        }
    }

    private static byte[] mutate(byte[] chunk, Random random) {
        byte[] out = chunk.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && out.length > 0; e++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0 -> out[at] = JSON_BYTES[random.nextInt(JSON_BYTES.length)];
                case 1 -> out[at] = (byte) random.nextInt(256);
                case 2 -> out = remove(out, at);
                default -> out = insert(out, at, JSON_BYTES[random.nextInt(JSON_BYTES.length)]);
            }
        }
        return out;
    }

    private static byte[] remove(byte[] bytes, int at) {
        byte[] out = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(bytes, at + 1, out, at, bytes.length - at - 1);
        return out;
    }

    private static byte[] insert(byte[] bytes, int at, byte b) {
        byte[] out = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, out, 0, at);
        out[at] = b;
        System.arraycopy(bytes, at, out, at + 1, bytes.length - at);
        return out;
    }

    private static List<byte[]> fixtureChunks() {
        List<byte[]> chunks = new ArrayList<>();
        for (String run : LettaFixtures.RUNS) {
            LettaFixtures.chunkLines(run).forEach(line -> chunks.add(line.getBytes(UTF_8)));
        }
        return chunks;
    }
}
