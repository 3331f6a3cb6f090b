package dev.lsr.bench.replay;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.PositionAssigner;
import dev.lsr.chunklog.RecordType;
import dev.lsr.fixtures.LettaFixtures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The benchmark's recorded runs: fixture 05 (381 chunks kept by a recorder, about 150 KB of SSE) under
 * a new run id each, with the attached and finished records a recorder writes.
 */
final class ReplayLog {

    static final String FIXTURE = "05-long-run-with-pings";
    static final String SOURCE = "http://127.0.0.1:8283";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<String> lines;
    private final String originalRunId;

    ReplayLog() {
        List<String> kept = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        String original = null;
        for (String line : LettaFixtures.chunkLines(FIXTURE)) {
            ChunkPeek peek = ChunkPeek.of(line.getBytes(UTF_8));
            if (peek.seqId() == null || seen.add(peek.seqId())) {
                kept.add(line);
            }
            if (original == null && peek.runId() != null) {
                original = peek.runId();
            }
        }
        this.lines = List.copyOf(kept);
        this.originalRunId = original;
    }

    int chunksPerRun() {
        return lines.size();
    }

    static String runId(int index) {
        return String.format("run-bench-%08d-0000-4000-8000-000000000000", index);
    }

    /** Every record of run {@code index}, in log order. */
    List<ChunkLogRecord> records(int index) {
        String run = runId(index);
        Instant time = Instant.parse("2026-03-14T17:00:00Z").plusSeconds(index);
        String agent = "agent-bench-" + (index % 50);
        List<ChunkLogRecord> records = new ArrayList<>(lines.size() + 2);
        ObjectNode runObject = MAPPER.createObjectNode()
                .put("id", run)
                .put("status", "running")
                .put("created_at", time.toString())
                .put("agent_id", agent)
                .put("background", true);
        records.add(lifecycle(
                RecordType.RUN_ATTACHED,
                run,
                Position.START,
                time,
                agent,
                new LifecycleEvent.RunAttached("watch", 0, runObject)));
        PositionAssigner positions = PositionAssigner.fromStart();
        Position last = Position.START;
        for (String line : lines) {
            byte[] value = line.replace(originalRunId, run).getBytes(UTF_8);
            ChunkPeek peek = ChunkPeek.of(value);
            last = positions.next(peek.seqId());
            String event = "error_message".equals(peek.messageType()) ? "error" : null;
            records.add(new ChunkLogRecord(Envelope.chunk(SOURCE, run, last, event, time, agent, null), value));
        }
        records.add(lifecycle(
                RecordType.RUN_FINISHED,
                run,
                last,
                time.plusSeconds(60),
                agent,
                new LifecycleEvent.RunFinished("end_turn", "completed", null)));
        return records;
    }

    private static ChunkLogRecord lifecycle(
            RecordType type, String run, Position position, Instant time, String agent, LifecycleEvent event) {
        return new ChunkLogRecord(
                Envelope.recorderRecord(type, run + "/" + type + "/1", SOURCE, run, position, time, agent, null),
                event.toJson());
    }
}
