package dev.lsr.consumer.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.PositionAssigner;
import dev.lsr.chunklog.RecordType;
import dev.lsr.fixtures.LettaFixtures;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds the chunk-log records a recorder would have appended for a fixture run: an attached
 * record, every chunk (keepalive pings that repeat a position dropped, as the recorder drops
 * them) with its position, envelope and headers, a resumed record between the drains of a
 * multi-file run, and a finished record when the run ended. Run ids can be replaced and times
 * shifted to make synthetic runs from a fixture template.
 */
public final class FixtureLog {

    public static final String SOURCE = "http://127.0.0.1:8283";

    private final List<String> fixtures;
    private String runId;
    private String agentId = "agent-fixture";
    private String conversationId = "conv-fixture";
    private Duration shift = Duration.ZERO;
    private boolean finished = true;
    private String createdAt;

    private FixtureLog(List<String> fixtures) {
        this.fixtures = fixtures;
    }

    /** One fixture run, or several files of the same run (e.g. 07a then 07b) as successive drains. */
    public static FixtureLog of(String... fixtures) {
        return new FixtureLog(List.of(fixtures));
    }

    public FixtureLog runId(String newRunId) {
        this.runId = newRunId;
        return this;
    }

    public FixtureLog agent(String agent) {
        this.agentId = agent;
        return this;
    }

    public FixtureLog conversation(String conversation) {
        this.conversationId = conversation;
        return this;
    }

    public FixtureLog shiftedBy(Duration duration) {
        this.shift = duration;
        return this;
    }

    /** The run's {@code created_at} in Letta's Run object (as the recorder's run.attached carries it). */
    public FixtureLog createdAt(String letta) {
        this.createdAt = letta;
        return this;
    }

    /** Leaves out the finished record (a run the recorder did not see end). */
    public FixtureLog unfinished() {
        this.finished = false;
        return this;
    }

    /** The original run id of the fixture. */
    public static String originalRunId(String fixture) {
        return LettaFixtures.chunkLines(fixture).stream()
                .map(l -> ChunkPeek.of(l.getBytes(UTF_8)).runId())
                .filter(id -> id != null)
                .findFirst()
                .orElseThrow();
    }

    /** The fixture's lines as a recorder keeps them: keepalive pings repeat a seen seq and are not kept. */
    public static List<String> withoutKeepalives(List<String> lines) {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            ChunkPeek peek = ChunkPeek.of(line.getBytes(UTF_8));
            if (peek.seqId() == null || seen.add(peek.seqId())) {
                kept.add(line);
            }
        }
        return kept;
    }

    /**
     * A record the recorder writes itself ({@code event}: a {@code chunk.rejected} in place of a chunk, a terminal
     * record after a run's last chunk), at {@code at}'s position, with its run, source, agent, conversation and time.
     */
    public static ChunkLogRecord recorderRecordAt(ChunkLogRecord at, LifecycleEvent event) {
        Envelope place = at.envelope();
        return new ChunkLogRecord(
                Envelope.recorderRecord(
                        event.type(),
                        place.runId() + "/" + event.type().cloudEventType() + "/" + place.position(),
                        place.source(),
                        place.runId(),
                        place.position(),
                        place.receivedAt(),
                        place.agentId(),
                        place.conversationId()),
                event.toJson());
    }

    public List<ChunkLogRecord> records() {
        String original = originalRunId(fixtures.getFirst());
        String run = runId == null ? original : runId;
        List<ChunkLogRecord> records = new ArrayList<>();
        PositionAssigner positions = PositionAssigner.fromStart();
        Position highWater = null;
        Instant time = null;
        String stopReason = null;
        for (int drain = 0; drain < fixtures.size(); drain++) {
            List<String> lines = LettaFixtures.chunkLines(fixtures.get(drain)).stream()
                    .map(l -> l.replace(original, run))
                    .toList();
            time = time == null ? dateOf(lines.getFirst()) : time;
            if (drain == 0) {
                records.add(recorderRecord(
                        RecordType.RUN_ATTACHED,
                        run,
                        Position.START,
                        time,
                        new LifecycleEvent.RunAttached("stream", 0, runObject(run, "running"))));
            } else {
                records.add(recorderRecord(
                        RecordType.RUN_RESUMED,
                        run,
                        highWater,
                        time,
                        new LifecycleEvent.RunResumed(drain, highWater.seq(), "eof")));
            }
            for (String line : lines) {
                ChunkPeek peek = ChunkPeek.of(line.getBytes(UTF_8));
                Position position = positions.next(peek.seqId());
                if (highWater != null && !position.isAfter(highWater)) {
                    continue;
                }
                highWater = position;
                Instant date = dateOf(line);
                time = date != null ? date : time;
                if ("stop_reason".equals(peek.messageType())) {
                    stopReason = tree(line).get("stop_reason").asText();
                }
                String sseEvent = "error_message".equals(peek.messageType()) ? "error" : null;
                records.add(new ChunkLogRecord(
                        Envelope.chunk(SOURCE, run, position, sseEvent, time, agentId, conversationId),
                        line.getBytes(UTF_8)));
            }
        }
        if (finished) {
            String status = statusOf(stopReason);
            records.add(recorderRecord(
                    RecordType.RUN_FINISHED,
                    run,
                    highWater,
                    time,
                    new LifecycleEvent.RunFinished(stopReason, status, runObject(run, status))));
        }
        return records;
    }

    private ChunkLogRecord recorderRecord(
            RecordType type, String run, Position position, Instant time, LifecycleEvent event) {
        return new ChunkLogRecord(
                Envelope.recorderRecord(
                        type,
                        UUID.nameUUIDFromBytes((run + type + position).getBytes(UTF_8))
                                .toString(),
                        SOURCE,
                        run,
                        position,
                        time,
                        agentId,
                        conversationId),
                event.toJson());
    }

    private JsonNode runObject(String run, String status) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("id", run)
                .put("status", status)
                .put("agent_id", agentId)
                .put("conversation_id", conversationId)
                .put("background", true);
        if (createdAt != null) {
            node.put("created_at", createdAt);
        }
        return node;
    }

    private static JsonNode tree(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String statusOf(String stopReason) {
        if (stopReason == null) {
            return "failed";
        }
        return switch (stopReason) {
            case "end_turn", "requires_approval", "max_steps", "tool_rule" -> "completed";
            case "cancelled" -> "cancelled";
            default -> "failed";
        };
    }

    private Instant dateOf(String line) {
        JsonNode date = tree(line).get("date");
        return date == null
                ? null
                : OffsetDateTime.parse(date.asText()).toInstant().plus(shift);
    }
}
