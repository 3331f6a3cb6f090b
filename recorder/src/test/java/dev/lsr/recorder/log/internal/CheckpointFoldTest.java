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
        Map<String, Checkpoint> checkpoints = CheckpointFold.of(
                List.of(
                        pending(chunk("run-a", 1), RunState.ACTIVE),
                        pending(chunk("run-b", 7), RunState.ACTIVE),
                        pending(chunk("run-a", 2), RunState.ACTIVE)),
                runId -> null,
                T0);

        assertEquals(
                Checkpoint.of("run-a", Position.ofSeq(2), RunState.ACTIVE, "agent-1", null, T0),
                checkpoints.get("run-a"));
        assertEquals(Position.ofSeq(7), checkpoints.get("run-b").lastPosition());
    }

    @Test
    void givenACommittedCheckpointThenALifecycleRecordKeepsThePositionAndSetsTheState() {
        Checkpoint committed = Checkpoint.of("run-a", Position.ofSeq(40), RunState.ACTIVE, "agent-1", null, T0);

        Map<String, Checkpoint> checkpoints = CheckpointFold.of(
                List.of(pending(finished("run-a", Position.START), RunState.FINISHED)), runId -> committed, T0);

        assertEquals(
                Checkpoint.of("run-a", Position.ofSeq(40), RunState.FINISHED, "agent-1", "conv-1", T0),
                checkpoints.get("run-a"));
    }

    @Test
    void givenANewRunThenALifecycleRecordSetsItsPosition() {
        Map<String, Checkpoint> checkpoints = CheckpointFold.of(
                List.of(pending(finished("run-a", Position.ofSeq(3)), RunState.FINISHED)), runId -> null, T0);

        assertEquals(Position.ofSeq(3), checkpoints.get("run-a").lastPosition());
        assertEquals(RunState.FINISHED, checkpoints.get("run-a").state());
    }

    @Test
    void foldingABatchAtOnceEqualsFoldingItRecordByRecord() {
        java.util.Random random = new java.util.Random(5);
        for (int trial = 0; trial < 200; trial++) {
            List<Pending> batch = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String runId = "run-" + random.nextInt(6);
                RunState state = RunState.values()[random.nextInt(RunState.values().length)];
                batch.add(
                        random.nextInt(4) == 0
                                ? pending(finished(runId, Position.ofSeq(random.nextInt(100))), state)
                                : pending(chunk(runId, random.nextInt(100)), state));
            }
            java.util.function.Function<String, Checkpoint> committed = runId -> runId.endsWith("0")
                    ? null
                    : Checkpoint.of(
                            runId,
                            Position.ofSeq(50),
                            RunState.ACTIVE,
                            null,
                            runId.endsWith("1") ? null : "conv-0",
                            T0);

            Map<String, Checkpoint> expected = new java.util.LinkedHashMap<>();
            for (Pending pending : batch) {
                String runId = pending.record().runId();
                Checkpoint previous = expected.containsKey(runId) ? expected.get(runId) : committed.apply(runId);
                expected.put(runId, CheckpointFold.next(previous, pending.record(), pending.stateAfter(), T0));
            }
            Map<String, Checkpoint> folded = CheckpointFold.of(batch, committed, T0);

            assertEquals(expected, folded);
            assertEquals(List.copyOf(expected.keySet()), List.copyOf(folded.keySet()), "first-touched order");
        }
    }
}
