package dev.lsr.replay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * An upstream key that cannot be sent as a header (a key file of two lines) is refused when the server is built,
 * without the key in the message. Before, it was taken, and every request passed to the upstream failed in the
 * JDK's header check, the client's connection dropped with no answer.
 */
class UpstreamKeyTest {

    @Test
    void aKeyWithALineBreakIsRefusedAtOnceWithoutShowingIt() {
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> ReplayServer.builder().upstreamApiKey("sk-let-secret-part-one\nsk-let-secret-part-two"));

        assertTrue(refused.getMessage().contains("control character"), refused.getMessage());
        assertFalse(refused.getMessage().contains("secret"), refused.getMessage());
    }

    @Test
    void aKeyWithAByteOrderMarkIsRefusedToo() {
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class, () -> ReplayServer.builder().upstreamApiKey("\uFEFFsk-let-secret"));

        assertFalse(refused.getMessage().contains("secret"), refused.getMessage());
    }

    @Test
    void aKeyWithSurroundingWhitespaceIsTaken() {
        ReplayServer.builder().upstreamApiKey("  sk-let-key\n");
    }
}
