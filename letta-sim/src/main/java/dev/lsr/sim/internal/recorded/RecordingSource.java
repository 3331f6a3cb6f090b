package dev.lsr.sim.internal.recorded;

/**
 * A recording to load: a name and the bytes of an SSE body ({@code .sse}) or a chunk file
 * ({@code .jsonl}).
 */
public record RecordingSource(String name, byte[] body, boolean isSse) {

    /** Parses it. */
    public Recording parse() {
        return isSse ? RecordingParser.parseSse(name, body) : RecordingParser.parseJsonl(name, body);
    }
}
