package dev.lsr.consumer.projection.lettacode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.consumer.projection.Fixtures;
import dev.lsr.consumer.projection.SyntheticLog;
import dev.lsr.fixtures.LettaFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Letta Code buffers rebuilt from chunk-log records, as the log reader will feed them. */
class ReplayFromRecordsTest {

    private static final Instant T0 = Instant.parse("2026-03-14T17:32:11Z");
    private static final Duration STEP = Duration.ofMillis(20);

    @Test
    void aResumedRunsRecordsRebuildTheExpectedResumeBuffers() {
        List<ChunkLogRecord> records = new SyntheticLog("run-4ca67353-d824-444b-81c1-56cf264ca243", T0)
                .attached()
                .chunks(LettaFixtures.chunkLines("07a-resume-initial-connection"), STEP)
                .resumed(1, 150, "io_error")
                .chunks(LettaFixtures.chunkLines("07b-resume-replay-after-150"), STEP)
                .finished("end_turn", "completed")
                .records();
        LettaCodeBuffers buffers = LettaCodeProjection.ofRecords(records, Options.defaults());
        assertTrue(Fixtures.jsonEquals(
                Fixtures.expected("07-resume").get("buffers"), buffers.toJson().get("buffers")));
        assertEquals("end_turn", buffers.lastDrainResult().stopReason());
    }

    @Test
    void duplicatedRecordsChangeNothing() {
        List<ChunkLogRecord> clean = new SyntheticLog("run-e88b7591-31db-4e32-98dc-b35f94c662cd", T0)
                .attached()
                .chunks(LettaFixtures.chunkLines("01-simple-reply"), STEP)
                .finished("end_turn", "completed")
                .records();
        List<ChunkLogRecord> doubled = new ArrayList<>(clean);
        doubled.addAll(5, clean.subList(1, 5));
        doubled.add(clean.get(clean.size() - 2));
        LettaCodeBuffers buffers = LettaCodeProjection.ofRecords(doubled, Options.defaults());
        assertTrue(
                Fixtures.jsonEquals(
                        Fixtures.expected("01-simple-reply").get("buffers"),
                        buffers.toJson().get("buffers")),
                "usage (seq-less, at a sub-position) was not summed twice");
    }

    @Test
    void aRunWhoseRecordingEndedWithoutStopReasonIsFinalized() {
        List<ChunkLogRecord> records = new SyntheticLog("run-4ca67353-d824-444b-81c1-56cf264ca243", T0)
                .attached()
                .chunks(LettaFixtures.chunkLines("07a-resume-initial-connection"), STEP)
                .finished(null, "running")
                .records();
        LettaCodeBuffers buffers = LettaCodeProjection.ofRecords(records, Options.defaults());
        assertFalse(buffers.awaitingResume());
        assertEquals("error", buffers.lastDrainResult().stopReason());
        buffers.lines().forEach(line -> {
            if (line instanceof Line.Text text) {
                assertEquals(Line.TextPhase.FINISHED, text.phase());
            }
        });
    }

    @Test
    void aConversationsRunsAccumulateInOneBuffer() {
        List<ChunkLogRecord> records = new ArrayList<>(new SyntheticLog("run-bd8ec9a1-f803-45ed-bd7c-9ec7081ab44d", T0)
                .attached()
                .chunks(LettaFixtures.chunkLines("03-parallel-approvals"), STEP)
                .finished("requires_approval", "completed")
                .records());
        records.addAll(new SyntheticLog("run-e88b7591-31db-4e32-98dc-b35f94c662cd", T0.plusSeconds(30))
                .attached()
                .chunks(LettaFixtures.chunkLines("01-simple-reply"), STEP)
                .finished("end_turn", "completed")
                .records());
        LettaCodeBuffers buffers = LettaCodeProjection.ofRecords(records, Options.defaults());
        List<String> order = buffers.order();
        assertEquals(6, order.size(), "4 lines of the approval run, 2 of the next: " + order);
        assertEquals("assistant:message-eae3732d-38c1-45d6-9a1f-7aa536eafa28", order.getLast());
        assertFalse(buffers.approvalsPending());
        assertEquals(9874 + 4312, buffers.usage().promptTokens());
        assertEquals(Line.ToolPhase.FINISHED, ((Line.ToolCall) buffers.lines().get(2)).phase());
    }
}
