package dev.lsr.replay.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BearerTokenTest {

    private final BearerToken token = BearerToken.of("sk-let-123\n");

    @Test
    void admitsOnlyTheBearerKey() {
        assertTrue(token.admits("Bearer sk-let-123"));
        assertTrue(token.admits("bearer sk-let-123"));
        assertFalse(token.admits("Bearer sk-let-1234"));
        assertFalse(token.admits("Bearer sk-let-12"));
        assertFalse(token.admits("sk-let-123"));
        assertFalse(token.admits("Basic sk-let-123"));
        assertFalse(token.admits(""));
        assertFalse(token.admits(null));
    }

    @Test
    void neverPrintsTheKey() {
        assertFalse(token.toString().contains("sk-let"));
    }

    @Test
    void anEmptyKeyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BearerToken.of("  "));
    }
}
