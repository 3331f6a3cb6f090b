package dev.lsr.sim.internal.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FrameTextTest {

    @Test
    void fillsNullRunIdsAndSeqIdsOnly() {
        byte[] frame = "data: {\"seq_id\":null,\"run_id\":null,\"text\":\"\\\"seq_id\\\":null\"}\n\n".getBytes(UTF_8);
        assertEquals(
                "data: {\"seq_id\":7,\"run_id\":\"run-1\",\"text\":\"\\\"seq_id\\\":null\"}\n\n",
                new String(FrameText.fillNulls(frame, "run-1", 7), UTF_8));
        byte[] numbered = "data: {\"seq_id\":3}\n\n".getBytes(UTF_8);
        assertArrayEquals(numbered, FrameText.fillNulls(numbered, "run-1", 9));
    }

    @Test
    void findsTheFirstNumericSeqIdLikeTheKeepaliveRegex() {
        assertEquals(85, FrameText.firstSeqId("data: {\"a\":1,\"seq_id\":85,\"b\":{\"seq_id\":2}}".getBytes(UTF_8)));
        assertEquals(12, FrameText.firstSeqId("data: {\"seq_id\": 12}".getBytes(UTF_8)));
        assertEquals(-1, FrameText.firstSeqId("data: {\"seq_id\":null}".getBytes(UTF_8)));
        assertEquals(-1, FrameText.firstSeqId("data: [DONE]".getBytes(UTF_8)));
    }

    @Test
    void leavesInvalidUtf8Untouched() {
        byte[] frame = {
            'd', ':', '"', 's', 'e', 'q', '_', 'i', 'd', '"', ':', 'n', 'u', 'l', 'l', (byte) 0xC3, (byte) 0x28
        };
        byte[] filled = FrameText.fillNulls(frame, "r", 4);
        assertEquals((byte) 0xC3, filled[filled.length - 2]);
        assertEquals((byte) 0x28, filled[filled.length - 1]);
    }
}
