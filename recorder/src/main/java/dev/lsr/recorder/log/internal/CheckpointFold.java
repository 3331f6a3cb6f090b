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

    private CheckpointFold() {}

    /**
     * One checkpoint per run touched by {@code batch}, in first-touched order: the same as folding
     * {@link #next} over the run's records, but with one {@link Checkpoint} built per run, not per record.
     */
    static Map<String, Checkpoint> of(List<Pending> batch, Function<String, Checkpoint> committed, Instant now) {
        Map<String, RunFold> runs = new LinkedHashMap<>();
        for (Pending pending : batch) {
            ChunkLogRecord record = pending.record();
            RunFold run = runs.get(record.runId());
            if (run == null) {
                run = RunFold.from(committed.apply(record.runId()));
                runs.put(record.runId(), run);
            }
            run.add(record, pending.stateAfter());
        }
        Map<String, Checkpoint> result = new LinkedHashMap<>();
        runs.forEach((runId, run) ->
                result.put(runId, Checkpoint.of(runId, run.position, run.state, run.agentId, run.conversationId, now)));
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

    /** A run's checkpoint while the batch is folded; {@code known} once there is a previous checkpoint. */
    private static final class RunFold {
        private boolean known;
        private Position position;
        private RunState state;
        private String agentId;
        private String conversationId;

        static RunFold from(Checkpoint committed) {
            RunFold run = new RunFold();
            if (committed != null) {
                run.known = true;
                run.position = committed.lastPosition();
                run.agentId = committed.agentId();
                run.conversationId = committed.conversationId();
            }
            return run;
        }

        void add(ChunkLogRecord record, RunState stateAfter) {
            Position next = record.position();
            boolean chunk = record.type() == RecordType.CHUNK || record.type() == RecordType.CHUNK_REJECTED;
            if (known && !chunk && position.isAfter(next)) {
                next = position;
            }
            String agent = record.envelope().agentId();
            String conversation = record.envelope().conversationId();
            if (known) {
                agent = agent != null ? agent : agentId;
                conversation = conversation != null ? conversation : conversationId;
            }
            position = next;
            state = stateAfter;
            agentId = agent;
            conversationId = conversation;
            known = true;
        }
    }
}
