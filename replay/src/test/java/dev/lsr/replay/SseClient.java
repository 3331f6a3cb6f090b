package dev.lsr.replay;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.consumer.projection.Chunk;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A Letta stream read as the SDK reads it (protocol §1.5): frames split on blank lines, {@code event:}
 * names, {@code data:} lines joined, {@code [DONE]} ends; a cut connection ends the read with what
 * was complete. Letta Code's resume loop ({@code drainStreamWithResume}) is built on it in the tests.
 */
final class SseClient {

    /** The chunks read and whether the body ended with {@code [DONE]} or cleanly (false: the read threw). */
    record Drain(List<Chunk> chunks, boolean sawDone, boolean cut) {
        Long lastSeqId() {
            Long last = null;
            for (Chunk chunk : chunks) {
                if (chunk.seqId() != null) {
                    last = chunk.seqId();
                }
            }
            return last;
        }
    }

    private SseClient() {}

    static Drain stream(URI base, String apiKey, String runId, long startingAfter) throws IOException {
        HttpURLConnection connection = (HttpURLConnection)
                base.resolve("/v1/runs/" + runId + "/stream").toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        if (apiKey != null) {
            connection.setRequestProperty("Authorization", "Bearer " + apiKey);
        }
        try (OutputStream out = connection.getOutputStream()) {
            out.write(("{\"starting_after\": " + startingAfter + ", \"batch_size\": 1000}").getBytes(UTF_8));
        }
        List<Chunk> chunks = new ArrayList<>();
        String event = null;
        StringBuilder data = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(connection.getInputStream(), UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        if (data.toString().startsWith("[DONE]")) {
                            return new Drain(chunks, true, false);
                        }
                        chunks.add(Chunk.parse(data.toString().getBytes(UTF_8), event));
                    }
                    event = null;
                    data = null;
                } else if (line.startsWith("event: ")) {
                    event = line.substring("event: ".length());
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder() : data.append('\n');
                    data.append(line.substring("data: ".length()));
                }
            }
            return new Drain(chunks, false, false);
        } catch (IOException cut) {
            return new Drain(chunks, false, true);
        } finally {
            connection.disconnect();
        }
    }
}
