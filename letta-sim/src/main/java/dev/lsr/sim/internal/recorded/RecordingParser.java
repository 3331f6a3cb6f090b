package dev.lsr.sim.internal.recorded;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.sim.internal.Json;
import dev.lsr.sim.internal.producer.ScriptEntry;
import dev.lsr.sim.internal.store.FrameKind;
import dev.lsr.sim.internal.store.FrameSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a recorded run (an SSE body, or a chunk file of {@code data:} payloads) into a timeline
 * with the hidden sequence numbers reconstructed by counting: every frame except keepalive pings
 * takes the next number; the visible {@code seq_id}s must match the count. A ping whose
 * {@code seq_id} is null or repeats an earlier number is a connection-side keepalive (replayed, never
 * stored); the initial ping (the next number, 1 for a whole run) is stored.
 */
public final class RecordingParser {

    private RecordingParser() {}

    /** Parses an exact SSE response body. */
    public static Recording parseSse(String source, byte[] body) {
        return build(source, RawFrame.split(source, body), true);
    }

    /**
     * Parses a chunk file: one {@code data:} payload per line, no {@code [DONE]}; an
     * {@code error_message} line is an {@code event: error} frame. {@code [DONE]} is added after the
     * last line when the run shows a stop_reason and does not end with an error frame (background
     * streams end at the error frame).
     */
    public static Recording parseJsonl(String source, byte[] body) {
        List<RawFrame> frames = new ArrayList<>();
        boolean sawStopReason = false;
        boolean endsWithError = false;
        for (String line : new String(body, UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = Json.parseOrNull(line);
            if (node == null || !node.isObject()) {
                throw new RecordingException(source, "line is not a JSON object: " + RawFrame.abbreviate(line));
            }
            String type = node.path("message_type").asText("");
            sawStopReason |= type.equals("stop_reason");
            endsWithError = type.equals("error_message");
            frames.add(RawFrame.ofData(endsWithError ? "error" : null, line));
        }
        if (sawStopReason && !endsWithError) {
            frames.add(RawFrame.ofData(null, "[DONE]"));
        }
        return build(source, frames, false);
    }

    private static Recording build(String source, List<RawFrame> frames, boolean fromSse) {
        SeqCounter counter = new SeqCounter(source);
        List<Object> pending = new ArrayList<>();
        String runId = null;
        boolean hasFinal = false;
        for (RawFrame frame : frames) {
            if (hasFinal) {
                throw new RecordingException(
                        source, "frame after the final entry: " + RawFrame.abbreviate(frame.data()));
            }
            Classified c = classify(source, frame);
            runId = runId == null ? c.runId : runId;
            if (c.kind == FrameKind.PING && counter.isKeepalive(c.visibleSeq)) {
                pending.add(new PendingPing(frame.bytes(), counter.storedCount()));
                continue;
            }
            counter.store(c.visibleSeq);
            hasFinal = c.isFinal;
            pending.add(new FrameSpec(frame.bytes(), c.kind, c.stopReason, c.errorJson, c.isFinal));
        }
        if (runId == null) {
            throw new RecordingException(source, "no run_id in any chunk");
        }
        long base = counter.base();
        List<ScriptEntry> script = new ArrayList<>(pending.size());
        for (Object item : pending) {
            if (item instanceof PendingPing ping) {
                long replayBelow = ping.storedBefore == 0 ? base : base + ping.storedBefore - 1;
                script.add(new ScriptEntry.RecordedPing(ping.bytes, replayBelow));
            } else {
                script.add(new ScriptEntry.Frame((FrameSpec) item));
            }
        }
        return new Recording(source, runId, base, List.copyOf(script), counter.storedCount(), hasFinal, fromSse);
    }

    private record PendingPing(byte[] bytes, int storedBefore) {}

    private record Classified(
            FrameKind kind, Long visibleSeq, String runId, String stopReason, String errorJson, boolean isFinal) {}

    private static Classified classify(String source, RawFrame frame) {
        if (frame.data().equals("[DONE]")) {
            return new Classified(FrameKind.DONE, null, null, null, null, true);
        }
        JsonNode node = Json.parseOrNull(frame.data());
        if (node == null || !node.isObject()) {
            throw new RecordingException(source, "data is not a JSON object: " + RawFrame.abbreviate(frame.data()));
        }
        Long seq = node.path("seq_id").isIntegralNumber() ? node.get("seq_id").asLong() : null;
        String runId = node.path("run_id").isTextual() ? node.get("run_id").asText() : null;
        if ("error".equals(frame.event())) {
            return new Classified(FrameKind.ERROR, seq, runId, null, withNullSeq(node), true);
        }
        if (frame.event() != null) {
            throw new RecordingException(source, "unsupported SSE event '" + frame.event() + "'");
        }
        return switch (node.path("message_type").asText("")) {
            case "ping" -> new Classified(FrameKind.PING, seq, runId, null, null, false);
            case "stop_reason" ->
                new Classified(
                        FrameKind.STOP_REASON,
                        seq,
                        runId,
                        node.path("stop_reason").asText(null),
                        null,
                        false);
            case "usage_statistics" -> new Classified(FrameKind.USAGE, seq, runId, null, null, false);
            default -> new Classified(FrameKind.MESSAGE, seq, runId, null, null, false);
        };
    }

    /** The error payload as the run's {@code metadata.error} shows it (seq_id null, as stored). */
    private static String withNullSeq(JsonNode node) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = node.deepCopy();
        if (copy.has("seq_id")) {
            copy.putNull("seq_id");
        }
        return Json.write(copy);
    }

    /** Reconstructs sequence numbers: the base is found from the first visible seq_id. */
    private static final class SeqCounter {
        private final String source;
        private int stored;
        private long base = -1;

        SeqCounter(String source) {
            this.source = source;
        }

        int storedCount() {
            return stored;
        }

        long base() {
            return base < 0 ? 1 : base;
        }

        /** A ping is a keepalive unless it carries exactly the next number (the initial ping). */
        boolean isKeepalive(Long visibleSeq) {
            if (visibleSeq == null) {
                return true;
            }
            if (base < 0) {
                return !(stored == 0 && visibleSeq == 1);
            }
            long next = base + stored;
            if (visibleSeq > next) {
                throw new RecordingException(source, "ping seq_id " + visibleSeq + " is ahead of the next seq " + next);
            }
            return visibleSeq < next;
        }

        void store(Long visibleSeq) {
            if (visibleSeq != null) {
                if (base < 0) {
                    base = visibleSeq - stored;
                    if (base < 1) {
                        throw new RecordingException(
                                source,
                                "seq_id " + visibleSeq + " leaves no room for the " + stored + " frames before it");
                    }
                } else if (visibleSeq != base + stored) {
                    throw new RecordingException(
                            source, "seq_id " + visibleSeq + " where the count gives " + (base + stored));
                }
            }
            stored++;
        }
    }
}
