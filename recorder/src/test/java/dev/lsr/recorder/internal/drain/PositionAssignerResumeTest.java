package dev.lsr.recorder.internal.drain;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.PositionAssigner;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.recorder.testing.StoredRun;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PositionAssignerResumeTest {

    @Test
    void anUnreadableFrameTakesItsRawSeqOnlyWhenItIsJustAfterTheLastSeq() {
        PositionAssigner tracker = PositionAssigner.resumingAfter(50);
        assertEquals(new Position(50, 1), tracker.assignUnreadable(5000L), "implausible: a sub-position");
        assertEquals(new Position(50, 2), tracker.assignUnreadable(50L), "an old seq: a sub-position");
        assertEquals(new Position(50, 3), tracker.assignUnreadable(null));
        assertEquals(Position.ofSeq(54), tracker.assignUnreadable(54L), "50 + the three seq-less frames' numbers + 1");
        assertEquals(Position.ofSeq(55), tracker.assignUnreadable(55L));
        assertEquals(new Position(55, 1), tracker.assignUnreadable(57L));
    }

    @Test
    void fixture05GetsItsSeqIdsAndSubPositionsForTheTail() {
        List<Position> positions = assign(LettaFixtures.chunkLines("05-long-run-with-pings"), 0);
        List<Position> appended = positions.stream().filter(p -> p != null).toList();
        assertEquals(380 + 2, appended.size(), "initial ping + seqs 2..380 + stop_reason + usage");
        for (int seq = 1; seq <= 380; seq++) {
            assertEquals(Position.ofSeq(seq), appended.get(seq - 1));
        }
        assertEquals(new Position(380, 1), appended.get(380));
        assertEquals(new Position(380, 2), appended.get(381));
        assertEquals(4, positions.stream().filter(p -> p == null).count(), "four keepalive pings");
    }

    @Test
    void fixture04GivesBothStopReasonsSubPositionsAndTheErrorItsSeq() {
        List<Position> positions = assign(LettaFixtures.chunkLines("04-error-mid-run"), 0);
        int n = positions.size();
        assertEquals(new Position(26, 1), positions.get(n - 3));
        assertEquals(new Position(26, 2), positions.get(n - 2));
        assertEquals(Position.ofSeq(29), positions.get(n - 1));
    }

    @Test
    void keepalivePingsWithANullSeqGetNoPosition() {
        PositionAssigner tracker = PositionAssigner.resumingAfter(0);
        assertNull(tracker.assign(null, true));
        assertEquals(Position.ofSeq(1), tracker.assign(1L, true));
        assertNull(tracker.assign(1L, true));
        assertEquals(new Position(1, 1), tracker.assign(null, false));
        assertNull(tracker.assign(1L, true), "a keepalive after a seq-less chunk repeats the visible seq");
    }

    @Test
    void aChunkWithoutSeqBeforeAnySeqStartsAtZero() {
        PositionAssigner tracker = PositionAssigner.resumingAfter(0);
        assertEquals(new Position(0, 1), tracker.assign(null, false));
        assertEquals(new Position(0, 2), tracker.assign(-3L, false));
    }

    @Test
    void aReplayFromTheStartOnTheSameConnectionMapsToTheSamePositions() {
        List<String> lines = LettaFixtures.chunkLines("01-simple-reply");
        List<String> twice = new ArrayList<>(lines);
        twice.addAll(lines);
        List<Position> positions = assign(twice, 0);
        List<Position> first = new ArrayList<>(positions.subList(0, lines.size()));
        first.set(0, null);
        assertEquals(
                first,
                positions.subList(lines.size(), twice.size()),
                "the replayed initial ping repeats a seen seq (no position); every other frame keeps its position");
    }

    /**
     * The property the whole recorder rests on: cut the stream after any appended frame, resume with
     * {@code starting_after} = the seq of the last appended position, and the replay assigns every
     * frame the position it had in the uninterrupted stream, so dropping positions at or below the
     * last appended one leaves exactly the frames not yet appended.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "01-simple-reply",
                "02-tool-call-two-steps",
                "03-parallel-approvals",
                "04-error-mid-run",
                "05-long-run-with-pings",
                "06-cancelled-mid-way"
            })
    void aResumeAtEveryBoundaryReplaysToTheSamePositions(String fixture) {
        StoredRun run = StoredRun.of(fixture);
        List<String> stored =
                run.entries().stream().map(StoredRun.Entry::payload).toList();
        List<Position> uninterrupted = assign(stored, 0);
        for (int cut = 0; cut <= stored.size(); cut++) {
            Position lastAppended = cut == 0 ? Position.START : uninterrupted.get(cut - 1);
            List<String> replay = run.after(lastAppended.seq()).stream()
                    .map(StoredRun.Entry::payload)
                    .toList();
            List<Position> replayed = assign(replay, lastAppended.seq());
            List<Position> kept = replayed.stream()
                    .filter(p -> p != null && p.isAfter(lastAppended))
                    .toList();
            assertEquals(uninterrupted.subList(cut, stored.size()), kept, fixture + " cut after " + cut);
        }
    }

    private static List<Position> assign(List<String> payloads, long startingAfter) {
        PositionAssigner tracker = PositionAssigner.resumingAfter(startingAfter);
        List<Position> positions = new ArrayList<>();
        for (String payload : payloads) {
            ChunkPeek peek = ChunkPeek.of(payload.getBytes(UTF_8));
            positions.add(tracker.assign(peek.seqId(), peek.isPing()));
        }
        return positions;
    }
}
