package dev.lsr.replay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkPeek;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;

/**
 * SSE bodies as text, for comparisons: keepalive pings (a ping repeating a seq, or without one) removed;
 * and a body read up to a marker.
 */
final class SseText {

    private SseText() {}

    /** Reads {@code body} into {@code received} until the text so far contains {@code marker}. */
    static void readUntil(InputStream body, ByteArrayOutputStream received, String marker) throws IOException {
        byte[] chunk = new byte[4096];
        while (!received.toString(UTF_8).contains(marker)) {
            int n = body.read(chunk);
            assertTrue(n >= 0, "the body ended early: " + received.toString(UTF_8));
            received.write(chunk, 0, n);
        }
    }

    static String withoutKeepalives(String body) {
        StringBuilder kept = new StringBuilder();
        Set<Long> seen = new HashSet<>();
        for (String frame : body.split("(?<=\n\n)")) {
            if (frame.startsWith("data: {") && frame.contains("\"message_type\":\"ping\"")) {
                ChunkPeek peek =
                        ChunkPeek.of(frame.substring("data: ".length()).strip().getBytes(UTF_8));
                if (peek.seqId() == null || !seen.add(peek.seqId())) {
                    continue;
                }
            } else if (frame.startsWith("data: {")) {
                Long seq = ChunkPeek.of(
                                frame.substring("data: ".length()).strip().getBytes(UTF_8))
                        .seqId();
                if (seq != null) {
                    seen.add(seq);
                }
            }
            kept.append(frame);
        }
        return kept.toString();
    }
}
