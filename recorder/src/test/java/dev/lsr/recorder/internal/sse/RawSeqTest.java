package dev.lsr.recorder.internal.sse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RawSeqTest {

    @Test
    void findsTheFirstSeqIdWithOrWithoutSpaces() {
        assertEquals(42L, find("{\"message_type\":\"x\",\"seq_id\":42,\"content\":\"cut"));
        assertEquals(7L, find("{\"seq_id\" :  7}"));
        assertEquals(5L, find("{\"seq_id\":5"), "digits up to the end of the bytes count");
    }

    @Test
    void theFirstSeqIdDecidesEvenWhenItIsNull() {
        assertNull(find("{\"seq_id\":null,\"other\":{\"seq_id\":9}}"));
    }

    @Test
    void escapedTextInsideAStringDoesNotMatch() {
        assertNull(find("{\"content\":\"say \\\"seq_id\\\": 5000\",\"x\":1"));
        assertEquals(3L, find("{\"content\":\"\\\"seq_id\\\": 5000\",\"seq_id\":3"));
    }

    @Test
    void aRepeatedQuoteBeforeTheKeyStillMatches() {
        assertEquals(11L, find("\"\"seq_id\":11"));
    }

    @Test
    void nothingWithoutTheKey() {
        assertNull(find("not json at all"));
        assertNull(find("{\"seq_id\"}"));
    }

    private static Long find(String text) {
        return RawSeq.find(text.getBytes(UTF_8));
    }
}
