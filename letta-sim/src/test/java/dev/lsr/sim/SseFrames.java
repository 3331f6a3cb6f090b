package dev.lsr.sim;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** Splits SSE bodies into frames and reads their JSON, for assertions. */
final class SseFrames {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One frame: its event name (or null) and data payload. */
    record Frame(String event, String data) {
        boolean isDone() {
            return "[DONE]".equals(data);
        }

        JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + data, e);
            }
        }

        String type() {
            return isDone() ? "[DONE]" : json().path("message_type").asText();
        }

        /** The visible seq_id, or null when absent or null. */
        Long seq() {
            if (isDone()) {
                return null;
            }
            JsonNode seq = json().get("seq_id");
            return seq == null || seq.isNull() ? null : seq.asLong();
        }
    }

    private SseFrames() {}

    static List<Frame> parse(byte[] body) {
        return parse(new String(body, UTF_8));
    }

    static List<Frame> parse(String body) {
        List<Frame> frames = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            if (block.isEmpty()) {
                continue;
            }
            String event = null;
            String data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            frames.add(new Frame(event, data));
        }
        return frames;
    }
}
