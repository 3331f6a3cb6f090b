package dev.lsr.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidatorTest {

    @Test
    void atLeast() {
        assertTrue(Validator.atLeast(1).accepts(1));
        assertFalse(Validator.atLeast(1).accepts(0));
        assertEquals("a positive whole number", Validator.atLeast(1).expectation());
        assertTrue(Validator.atLeast(1024).accepts(1024));
        assertFalse(Validator.atLeast(1024).accepts(1023));
        assertEquals("a whole number of at least 1024", Validator.atLeast(1024).expectation());
    }

    @Test
    void between() {
        Validator<Integer> port = Validator.between(0, 65535);
        assertTrue(port.accepts(0));
        assertTrue(port.accepts(65535));
        assertFalse(port.accepts(-1));
        assertFalse(port.accepts(65536));
        assertEquals("a whole number within 0..65535", port.expectation());
    }

    @Test
    void durations() {
        assertTrue(Validator.positive().accepts(Duration.ofMillis(1)));
        assertFalse(Validator.positive().accepts(Duration.ZERO));
        assertFalse(Validator.positive().accepts(Duration.ofSeconds(-1)));
        assertEquals("a positive duration", Validator.positive().expectation());
        assertTrue(Validator.notNegative().accepts(Duration.ZERO));
        assertFalse(Validator.notNegative().accepts(Duration.ofSeconds(-1)));
        assertEquals("a duration of zero or more", Validator.notNegative().expectation());
    }

    @Test
    void oneOf() {
        Validator<String> compression = Validator.oneOf(List.of("none", "lz4"));
        assertTrue(compression.accepts("lz4"));
        assertFalse(compression.accepts("LZ4"));
        assertFalse(compression.accepts("brotli"));
        assertEquals("one of none, lz4", compression.expectation());
    }

    @Test
    void notBlank() {
        assertTrue(Validator.notBlank().accepts("t"));
        assertFalse(Validator.notBlank().accepts(" "));
        assertEquals("a non-blank text", Validator.notBlank().expectation());
    }

    @Test
    void rulesShowTheValueUnlessToldNotTo() {
        assertTrue(Validator.notBlank().showsValue());
        assertFalse(Validator.notBlank().hidingValue().showsValue());
    }
}
