package dev.lsr.chunklog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void acceptsWellFormedText() {
        assertTrue(Utf8.isValid("plain ascii {\"a\":1}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(Utf8.isValid("Lisboa é linda — 東京 🚋".getBytes(StandardCharsets.UTF_8)));
        assertTrue(Utf8.isValid(new byte[0]));
    }

    @Test
    void rejectsTheClassicMalformations() {
        assertFalse(Utf8.isValid(bytes(0xC3, 0x28)), "bad continuation");
        assertFalse(Utf8.isValid(bytes(0xC0, 0xAF)), "overlong two-byte");
        assertFalse(Utf8.isValid(bytes(0xE0, 0x80, 0xAF)), "overlong three-byte");
        assertFalse(Utf8.isValid(bytes(0xED, 0xA0, 0x80)), "surrogate");
        assertFalse(Utf8.isValid(bytes(0xF4, 0x90, 0x80, 0x80)), "above U+10FFFF");
        assertFalse(Utf8.isValid(bytes(0xE2, 0x82)), "truncated");
        assertFalse(Utf8.isValid(bytes(0x80)), "lone continuation");
        assertFalse(Utf8.isValid(bytes(0xFF)), "never valid");
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomBytes() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(12)];
            for (int j = 0; j < bytes.length; j++) {
                bytes[j] = (byte) (random.nextBoolean() ? random.nextInt(0x80) : 0x80 + random.nextInt(0x80));
            }
            assertEquals(
                    jdkValid(bytes),
                    Utf8.isValid(bytes),
                    () -> java.util.HexFormat.of().formatHex(bytes));
        }
    }

    private static boolean jdkValid(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
