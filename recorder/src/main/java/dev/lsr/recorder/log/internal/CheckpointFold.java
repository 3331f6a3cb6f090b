package dev.lsr.recorder.log.internal;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.RunState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The checkpoints a batch commits: a pure fold of its records over the runs' committed checkpoints.
 * A chunk (or rejected chunk) sets the run's position; a lifecycle record carries the run's last
 * position and never moves it back. The state is the {@code stateAfter} of the run's last record;
 * agent and conversation ids are kept once known.
 */
final class CheckpointFold {

    private CheckpointFold() {
    }

    /** One checkpoint per run touched by {@code batch}, in first-touched order. */
    static Map<String, Checkpoint> of(List<Pending> batch, Function<String, Checkpoint> committed, Instant now) {
        Map<String, Checkpoint> result = new LinkedHashMap<>();
        for (Pending pending : batch) {
            String runId = pending.record().runId();
            Checkpoint previous = result.containsKey(runId) ? result.get(runId) : committed.apply(runId);
            result.put(runId, next(previous, pending.record(), pending.stateAfter(), now));
        }
        return result;
    }

    static Checkpoint next(Checkpoint previous, ChunkLogRecord record, RunState stateAfter, Instant now) {
        Position position = record.position();
        boolean chunk = record.type() == RecordType.CHUNK || record.type() == RecordType.CHUNK_REJECTED;
        if (previous != null && !chunk && previous.lastPosition().isAfter(position)) {
            position = previous.lastPosition();
        }
        String agentId = record.envelope().agentId();
        String conversationId = record.envelope().conversationId();
        if (previous != null) {
            agentId = agentId != null ? agentId : previous.agentId();
            conversationId = conversationId != null ? conversationId : previous.conversationId();
        }
        return Checkpoint.of(record.runId(), position, stateAfter, agentId, conversationId, now);
    }
}
