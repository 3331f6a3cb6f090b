package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * SSE frames exactly as Letta writes them (protocol §1.5): {@code data: <payload>\n\n}, preceded by
 * {@code event: <name>\n} when the frame had a name; a payload of several lines (joined with
 * {@code \n} when recorded, as SSE joins {@code data:} lines) goes out as one {@code data:} line each.
 */
final class SseFrames {

    static final byte[] DONE = "data: [DONE]\n\n".getBytes(UTF_8);

    /**
     * An SSE comment line, which every SSE parser skips (the SDK's too: protocol §1.5); Letta writes none. The
     * replay server writes it on the silence of a stream without pings, to find a client that went away.
     */
    static final byte[] COMMENT = ": keepalive\n\n".getBytes(UTF_8);

    private static final byte[] DATA = "data: ".getBytes(UTF_8);
    private static final byte[] EVENT = "event: ".getBytes(UTF_8);
    private static final DateTimeFormatter CHUNK_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

    private SseFrames() {}

    /** The frame of a recorded chunk. */
    static byte[] frame(String event, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 16);
        if (event != null) {
            out.writeBytes(EVENT);
            out.writeBytes(event.getBytes(UTF_8));
            out.write('\n');
        }
        int from = 0;
        for (int i = 0; i <= payload.length; i++) {
            if (i == payload.length || payload[i] == '\n') {
                out.writeBytes(DATA);
                out.write(payload, from, i - from);
                out.write('\n');
                from = i + 1;
            }
        }
        out.write('\n');
        return out.toByteArray();
    }

    /**
     * A keepalive ping as Letta's keepalive wrapper writes it: a fresh id, the time to the second,
     * the last seq_id this connection showed (null before any); the run id escaped as JSON (it is the log's).
     */
    static byte[] keepalive(String runId, long lastSeq, Instant now) {
        String seq = lastSeq >= 0 ? Long.toString(lastSeq) : "null";
        String json = "{\"id\":\"ping-" + UUID.randomUUID() + "\",\"date\":\""
                + CHUNK_DATE.format(now.truncatedTo(ChronoUnit.SECONDS))
                + "\",\"name\":null,\"message_type\":\"ping\",\"otid\":null,\"sender_id\":null,\"step_id\":null,"
                + "\"is_err\":null,\"seq_id\":" + seq + ",\"run_id\":"
                + JsonNodeFactory.instance.textNode(runId) + "}";
        return frame(null, json.getBytes(UTF_8));
    }
}
