package dev.lsr.recorder.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.fixtures.LettaFixtures;
import java.util.ArrayList;
import java.util.List;

/**
 * A model of a background run as Letta stores it (its Redis stream), built from a fixture: every
 * stored frame has a storage seq, visible or not; keepalive pings are not stored. Serves the SSE
 * body of a resume with {@code starting_after}, the way the server replays it.
 */
public final class StoredRun {

    /** One stored frame: its storage seq, its event name (or null) and its payload. */
    public record Entry(long storageSeq, String event, String payload) {}

    private final List<Entry> entries;
    private final boolean endsWithDone;
    private final byte[] liveBody;
    private final int liveFrames;

    private StoredRun(List<Entry> entries, boolean endsWithDone, byte[] liveBody, int liveFrames) {
        this.entries = List.copyOf(entries);
        this.endsWithDone = endsWithDone;
        this.liveBody = liveBody;
        this.liveFrames = liveFrames;
    }

    /** The stored run behind a fixture (use a whole-run fixture: not 07a/07b). */
    public static StoredRun of(String fixture) {
        String body = new String(LettaFixtures.sseBody(fixture), UTF_8);
        List<Entry> entries = new ArrayList<>();
        long storageSeq = 0;
        long lastVisible = 0;
        for (String frame : body.split("\n\n")) {
            if (frame.isEmpty() || frame.equals("data: [DONE]")) {
                continue;
            }
            String event = null;
            String payload = frame;
            if (frame.startsWith("event: ")) {
                event = frame.substring(7, frame.indexOf('\n'));
                payload = frame.substring(frame.indexOf('\n') + 1);
            }
            payload = payload.substring("data: ".length());
            ChunkPeek peek = ChunkPeek.of(payload.getBytes(UTF_8));
            if (peek.isPing() && (peek.seqId() == null || peek.seqId() <= lastVisible)) {
                continue;
            }
            storageSeq = peek.seqId() != null ? peek.seqId() : storageSeq + 1;
            lastVisible = peek.seqId() != null ? peek.seqId() : lastVisible;
            entries.add(new Entry(storageSeq, event, payload));
        }
        return new StoredRun(
                entries,
                body.endsWith("data: [DONE]\n\n"),
                LettaFixtures.sseBody(fixture),
                LettaFixtures.chunkLines(fixture).size());
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The stored entries after {@code startingAfter}, in order. */
    public List<Entry> after(long startingAfter) {
        return entries.stream().filter(e -> e.storageSeq() > startingAfter).toList();
    }

    /** The body as recorded on the first, live connection (keepalive pings included). */
    public byte[] liveBody() {
        return liveBody.clone();
    }

    /** How many payload frames the live body has ({@code [DONE]} not counted). */
    public int liveFrames() {
        return liveFrames;
    }

    public boolean endsWithDone() {
        return endsWithDone;
    }

    /** The SSE body the server sends for a resume after {@code startingAfter}, whole. */
    public byte[] sseAfter(long startingAfter) {
        return sse(after(startingAfter), endsWithDone);
    }

    /** Writes entries as an SSE body, optionally with the {@code [DONE]} terminator. */
    public static byte[] sse(List<Entry> entries, boolean done) {
        StringBuilder out = new StringBuilder();
        for (Entry entry : entries) {
            out.append(frame(entry));
        }
        if (done) {
            out.append("data: [DONE]\n\n");
        }
        return out.toString().getBytes(UTF_8);
    }

    public static String frame(Entry entry) {
        return (entry.event() != null ? "event: " + entry.event() + "\n" : "") + "data: " + entry.payload() + "\n\n";
    }
}
