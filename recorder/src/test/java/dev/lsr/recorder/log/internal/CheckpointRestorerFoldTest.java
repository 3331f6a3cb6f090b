package dev.lsr.recorder.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RunState;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.recorder.log.RunLogListener;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The restore's fold: the last record of a run is the truth, whatever came before it. */
class CheckpointRestorerFoldTest {

    private static final int PARTITIONS = 6;
    private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

    private final List<String> skipped = new ArrayList<>();
    private final CheckpointRestorer.Fold fold = new CheckpointRestorer.Fold(PARTITIONS, new RunLogListener() {
        @Override
        public void checkpointSkipped(String runId, String reason) {
            skipped.add(runId + ": " + reason);
        }
    });
    private long offset;

    @Test
    void theLastCheckpointOfEveryRunWinsOverTheTailBeforeIt() {
        for (int seq = 1; seq <= 1_000; seq++) {
            apply("run-a", checkpoint("run-a", seq, RunState.ACTIVE));
            apply("run-b", checkpoint("run-b", seq * 2, RunState.ACTIVE));
        }
        apply("run-b", checkpoint("run-b", 2_001, RunState.FINISHED));

        CheckpointRestorer.Restored restored = fold.finish();

        assertEquals(Set.of("run-a", "run-b"), restored.checkpoints().keySet());
        assertEquals(Position.ofSeq(1_000), restored.checkpoints().get("run-a").lastPosition());
        assertEquals(RunState.FINISHED, restored.checkpoints().get("run-b").state());
        assertTrue(restored.unreadable().isEmpty());
    }

    @Test
    void anUnreadableRecordFollowedByAReadableOneIsNoLossButAnUnreadableLastOneIsReported() {
        apply("run-a", "{not json".getBytes(UTF_8));
        apply("run-a", checkpoint("run-a", 5, RunState.ACTIVE));
        apply("run-b", checkpoint("run-b", 5, RunState.ACTIVE));
        apply("run-b", "{not json".getBytes(UTF_8));

        CheckpointRestorer.Restored restored = fold.finish();
        fold.report("topic.checkpoints");

        assertEquals(Set.of("run-a"), restored.checkpoints().keySet());
        assertEquals(Set.of("run-b"), restored.unreadable().keySet());
        assertEquals(1, skipped.size());
        assertTrue(skipped.getFirst().startsWith("run-b: "), skipped.getFirst());
    }

    @Test
    void aTombstoneRemovesTheRunAndALaterCheckpointBringsItBack() {
        apply("run-a", checkpoint("run-a", 5, RunState.FINISHED));
        apply("run-a", null);
        apply("run-b", checkpoint("run-b", 5, RunState.FINISHED));
        apply("run-b", null);
        apply("run-b", checkpoint("run-b", 1, RunState.ACTIVE));

        CheckpointRestorer.Restored restored = fold.finish();

        assertEquals(Set.of("run-b"), restored.checkpoints().keySet());
        assertEquals(Position.ofSeq(1), restored.checkpoints().get("run-b").lastPosition());
    }

    @Test
    void aLastRecordWhoseRunIdDoesNotMatchItsKeyIsUnreadable() {
        apply("run-a", checkpoint("run-other", 5, RunState.ACTIVE));

        CheckpointRestorer.Restored restored = fold.finish();

        assertTrue(restored.checkpoints().isEmpty());
        assertEquals(Set.of("run-a"), restored.unreadable().keySet());
    }

    private static byte[] checkpoint(String runId, long seq, RunState state) {
        return Checkpoint.of(runId, Position.ofSeq(seq), state, "agent-1", "conv-1", T0)
                .toJson();
    }

    private void apply(String runId, byte[] value) {
        fold.apply(new ConsumerRecord<>(
                "topic.checkpoints",
                TopicConventions.partitionFor(runId, PARTITIONS),
                offset++,
                runId.getBytes(UTF_8),
                value));
    }
}
