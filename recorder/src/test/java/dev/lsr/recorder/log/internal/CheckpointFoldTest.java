package dev.lsr.recorder.log.internal;

import static dev.lsr.recorder.log.internal.Fixtures.T0;
import static dev.lsr.recorder.log.internal.Fixtures.chunk;
import static dev.lsr.recorder.log.internal.Fixtures.finished;
import static dev.lsr.recorder.log.internal.Fixtures.pending;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RunState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointFoldTest {

    @Test
    void givenChunksOfTwoRunsThenEachRunIsAtItsLastChunk() {
        Map<String, Checkpoint> checkpoints = CheckpointFold.of(List.of(
                pending(chunk("run-a", 1), RunState.ACTIVE),
                pending(chunk("run-b", 7), RunState.ACTIVE),
                pending(chunk("run-a", 2), RunState.ACTIVE)), runId -> null, T0);

        assertEquals(Checkpoint.of("run-a", Position.ofSeq(2), RunState.ACTIVE, "agent-1", null, T0),
                checkpoints.get("run-a"));
        assertEquals(Position.ofSeq(7), checkpoints.get("run-b").lastPosition());
    }

    @Test
    void givenACommittedCheckpointThenALifecycleRecordKeepsThePositionAndSetsTheState() {
        Checkpoint committed = Checkpoint.of("run-a", Position.ofSeq(40), RunState.ACTIVE, "agent-1", null, T0);

        Map<String, Checkpoint> checkpoints = CheckpointFold.of(
                List.of(pending(finished("run-a", Position.START), RunState.FINISHED)), runId -> committed, T0);

        assertEquals(Checkpoint.of("run-a", Position.ofSeq(40), RunState.FINISHED, "agent-1", "conv-1", T0),
                checkpoints.get("run-a"));
    }

    @Test
    void givenANewRunThenALifecycleRecordSetsItsPosition() {
        Map<String, Checkpoint> checkpoints = CheckpointFold.of(
                List.of(pending(finished("run-a", Position.ofSeq(3)), RunState.FINISHED)), runId -> null, T0);

        assertEquals(Position.ofSeq(3), checkpoints.get("run-a").lastPosition());
        assertEquals(RunState.FINISHED, checkpoints.get("run-a").state());
    }
}
