package dev.lsr.bench.system.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.PositionAssigner;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.recorder.internal.sse.SseFrame;
import dev.lsr.recorder.internal.sse.SseFrameReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;

/**
 * The recorded fixture runs 01-06 as templates for new runs: every chunk the recorder would append
 * (keepalive pings dropped, positions assigned as the recorder does), with its SSE event, its payload
 * cut around the original run id so a copy under a new id of the same length is cheap to build.
 */
final class FixtureTemplates {

    private static final List<String> RUNS = List.of(
            "01-simple-reply",
            "02-tool-call-two-steps",
            "03-parallel-approvals",
            "04-error-mid-run",
            "05-long-run-with-pings",
            "06-cancelled-mid-way");

    /** One chunk of a template run. */
    record TemplateChunk(Position position, String sseEvent, List<byte[]> segments) {

        /** The payload with {@code runId} where the original run id was. */
        byte[] payload(byte[] runId) {
            int size = 0;
            for (byte[] segment : segments) {
                size += segment.length;
            }
            byte[] out = new byte[size + runId.length * (segments.size() - 1)];
            int at = 0;
            for (int i = 0; i < segments.size(); i++) {
                if (i > 0) {
                    System.arraycopy(runId, 0, out, at, runId.length);
                    at += runId.length;
                }
                System.arraycopy(segments.get(i), 0, out, at, segments.get(i).length);
                at += segments.get(i).length;
            }
            return out;
        }
    }

    /** One template run: its chunks in order. */
    record TemplateRun(String name, List<TemplateChunk> chunks) {}

    private FixtureTemplates() {}

    /** The six template runs. */
    static List<TemplateRun> load() {
        List<TemplateRun> runs = new ArrayList<>();
        for (String name : RUNS) {
            runs.add(new TemplateRun(name, chunks(LettaFixtures.sseBody(name))));
        }
        return List.copyOf(runs);
    }

    /** A fresh run id of the same length as the fixtures' ({@code run-} and a UUID). */
    static String newRunId(long salt, long index) {
        return "run-" + new java.util.UUID(0xB0B0_0000_0000_4000L ^ salt, 0x8000_0000_0000_0000L | index);
    }

    private static List<TemplateChunk> chunks(byte[] sseBody) {
        SseFrameReader reader = new SseFrameReader(new Buffer().write(sseBody));
        PositionAssigner tracker = PositionAssigner.resumingAfter(0);
        List<TemplateChunk> chunks = new ArrayList<>();
        try {
            SseFrame frame;
            while ((frame = reader.next()) != null && !frame.isDone()) {
                ChunkPeek peek = ChunkPeek.of(frame.data());
                Position position = tracker.assign(peek.seqId(), peek.isPing());
                if (position != null) {
                    chunks.add(new TemplateChunk(position, frame.event(), split(frame.data(), peek.runId())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(chunks);
    }

    private static List<byte[]> split(byte[] payload, String runId) {
        List<byte[]> segments = new ArrayList<>();
        if (runId == null) {
            return List.of(payload);
        }
        byte[] needle = runId.getBytes(UTF_8);
        int from = 0;
        for (int at = indexOf(payload, needle, 0); at >= 0; at = indexOf(payload, needle, from)) {
            segments.add(java.util.Arrays.copyOfRange(payload, from, at));
            from = at + needle.length;
        }
        segments.add(java.util.Arrays.copyOfRange(payload, from, payload.length));
        return List.copyOf(segments);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
