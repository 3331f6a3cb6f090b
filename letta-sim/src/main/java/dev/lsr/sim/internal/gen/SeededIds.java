package dev.lsr.sim.internal.gen;

import java.util.SplittableRandom;
import java.util.UUID;

/** Letta-shaped ids drawn from a seeded generator, plus the otid and approval-id arithmetic of §4.2. */
public final class SeededIds {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final SplittableRandom random;

    public SeededIds(SplittableRandom random) {
        this.random = random;
    }

    /** A random (version 4) UUID from the seeded generator. */
    public UUID uuid() {
        long msb = (random.nextLong() & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    public String prefixed(String prefix) {
        return prefix + "-" + uuid();
    }

    /** An Anthropic-style tool call id, {@code toolu_01} + 22 base62 characters. */
    public String anthropicToolCallId() {
        return "toolu_01" + base62(22);
    }

    /** An OpenAI-style tool call id, {@code call_} + 24 base62 characters. */
    public String openAiToolCallId() {
        return "call_" + base62(24);
    }

    /** Base64-looking opaque data for a redacted thinking block. */
    public String opaque(int length) {
        StringBuilder text = new StringBuilder("EtUBCkYIBxgCKkB");
        text.append(base62(length));
        return text.append("==").toString();
    }

    private String base62(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(BASE62.charAt(random.nextInt(BASE62.length())));
        }
        return text.toString();
    }

    /** The otid of a block: the message UUID with its lowest 7 bits replaced by the block index. */
    public static String otid(UUID message, int index) {
        if (index < 0 || index > 127) {
            throw new IllegalArgumentException("otid index out of range: " + index);
        }
        return new UUID(message.getMostSignificantBits(), (message.getLeastSignificantBits() & ~0x7FL) | index)
                .toString();
    }

    /** The UUID one below (as a 128-bit integer): the approval message id of a step. */
    public static UUID minusOne(UUID message) {
        long lsb = message.getLeastSignificantBits();
        long msb = message.getMostSignificantBits();
        return new UUID(lsb == 0 ? msb - 1 : msb, lsb - 1);
    }
}
