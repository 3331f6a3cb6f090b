package dev.lsr.replay;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkPeek;
import java.util.HashSet;
import java.util.Set;

/** SSE bodies as text, for comparisons: keepalive pings (a ping repeating a seq, or without one) removed. */
final class SseText {

    private SseText() {}

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
