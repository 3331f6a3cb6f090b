package dev.lsr.sim.internal.recorded;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One SSE frame of a recording: its exact bytes, its {@code event:} name (or null) and its
 * {@code data:} payload.
 */
record RawFrame(byte[] bytes, String event, String data) {

    static RawFrame ofData(String event, String data) {
        String text = (event == null ? "" : "event: " + event + "\n") + "data: " + data + "\n\n";
        return new RawFrame(text.getBytes(UTF_8), event, data);
    }

    /** Splits an SSE body into frames at blank lines, keeping each frame's bytes exactly. */
    static List<RawFrame> split(String source, byte[] body) {
        List<RawFrame> frames = new ArrayList<>();
        int start = 0;
        for (int i = 0; i + 1 < body.length; i++) {
            if (body[i] == '\n' && body[i + 1] == '\n') {
                frames.add(parse(source, Arrays.copyOfRange(body, start, i + 2)));
                start = i + 2;
                i++;
            }
        }
        if (start < body.length && !new String(body, start, body.length - start, UTF_8).isBlank()) {
            throw new RecordingException(source, "body ends with an unterminated frame at byte " + start);
        }
        return frames;
    }

    private static RawFrame parse(String source, byte[] bytes) {
        String event = null;
        StringBuilder data = null;
        for (String line : new String(bytes, UTF_8).split("\n")) {
            if (line.startsWith("event: ")) {
                event = line.substring("event: ".length());
            } else if (line.startsWith("data: ")) {
                String value = line.substring("data: ".length());
                data = data == null
                        ? new StringBuilder(value)
                        : data.append('\n').append(value);
            } else if (!line.isEmpty() && !line.startsWith(":")) {
                throw new RecordingException(source, "unexpected SSE line: " + abbreviate(line));
            }
        }
        if (data == null) {
            throw new RecordingException(source, "frame without data: " + abbreviate(new String(bytes, UTF_8)));
        }
        return new RawFrame(bytes, event, data.toString());
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
