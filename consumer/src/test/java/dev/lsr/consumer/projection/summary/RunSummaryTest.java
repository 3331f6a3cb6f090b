package dev.lsr.consumer.projection.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Json;
import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.SyntheticLog;
import dev.lsr.consumer.reader.ReplayEvents;
import dev.lsr.fixtures.LettaFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Run summaries of the fixture runs, wrapped as chunk-log records with synthetic envelopes. */
class RunSummaryTest {

    private static final Instant T0 = Instant.parse("2026-03-14T17:32:11Z");
    private static final Duration STEP = Duration.ofMillis(50);

    private static List<ChunkLogRecord> recorded(String run, String runId, String stopReason, String status) {
        return new SyntheticLog(runId, T0)
                .attached()
                .chunks(LettaFixtures.chunkLines(run), STEP)
                .after(Duration.ofMillis(10))
                .finished(stopReason, status)
                .records();
    }

    private static long bytesOf(String run) {
        return LettaFixtures.chunkLines(run).stream()
                .filter(l -> !l.isBlank())
                .mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length)
                .sum();
    }

    @Test
    void aTwoStepToolRunIsSummarizedFromItsRecords() {
        RunSummary s = RunSummaries.ofRecords(recorded(
                "02-tool-call-two-steps", "run-780c4b16-a510-49fa-a2b2-bbd1c38dbe31", "end_turn", "completed"));
        assertEquals("run-780c4b16-a510-49fa-a2b2-bbd1c38dbe31", s.runId());
        assertEquals(SyntheticLog.AGENT, s.agentId());
        assertEquals(SyntheticLog.CONVERSATION, s.conversationId());
        assertEquals("completed", s.status());
        assertEquals("end_turn", s.stopReason());
        assertNull(s.errorType());
        assertEquals(1, s.toolCallCount());
        assertEquals(Map.of("web_search", 1L), s.toolCallsByName());
        assertEquals(0, s.toolErrorCount());
        assertEquals(2, s.stepCount());
        assertEquals(4160, s.inputTokens());
        assertEquals(85, s.outputTokens());
        assertEquals(4245, s.totalTokens());
        assertEquals(3328L, s.cachedInputTokens());
        assertNull(s.cacheWriteTokens(), "the usage chunk reports cache_write_tokens as null");
        assertEquals(0L, s.reasoningTokens());
        assertEquals(39, s.chunkCount());
        assertEquals(bytesOf("02-tool-call-two-steps"), s.byteCount());
        assertEquals(T0, s.startedAt());
        assertEquals(100L, s.timeToFirstContentMs(), "ping at +50 ms, first tool call delta at +100 ms");
        assertEquals(39 * 50 + 10L, s.durationMs());
        assertEquals(50.0, s.interChunkGapP50Ms(), 0.5);
        assertEquals(50.0, s.interChunkGapP99Ms(), 0.5);
        assertEquals(50.0, s.interChunkGapMaxMs());
        assertEquals(0, s.resumeCount());
        assertEquals(0, s.gapCount());
        assertEquals(0, s.duplicateCount());
    }

    @Test
    void anErrorRunWithoutUsageCountsStepsFromStepIds() {
        RunSummary s = new RunSummaryFold()
                .applyAll(ReplayEvents.of(new SyntheticLog("run-e4039782-67e5-43c9-ae73-35a01662e2ce", T0)
                        .attached()
                        .chunks(LettaFixtures.chunkLines("04-error-mid-run"), STEP)
                        .records()))
                .summary();
        assertEquals("failed", s.status());
        assertEquals("llm_api_error", s.stopReason());
        assertEquals("internal_error", s.errorType());
        assertEquals(2, s.stepCount());
        assertEquals(0, s.inputTokens());
        assertNull(s.cachedInputTokens());
        assertEquals(Map.of("web_search", 1L), s.toolCallsByName());
        assertNull(s.finishedAt());
        assertNull(s.durationMs());
        assertEquals(0, s.gapCount(), "the two stop reasons explain the jump from 26 to 29");
    }

    @Test
    void parallelApprovalsAndCancelledRunsCountTheirCalls() {
        RunSummary approvals = RunSummaries.ofRecords(recorded(
                "03-parallel-approvals", "run-bd8ec9a1-f803-45ed-bd7c-9ec7081ab44d", "requires_approval", "completed"));
        assertEquals(2, approvals.toolCallCount());
        assertEquals(Map.of("Bash", 1L, "Read", 1L), approvals.toolCallsByName());
        assertEquals(1, approvals.stepCount());

        RunSummary cancelled = RunSummaries.ofRecords(
                recorded("06-cancelled-mid-way", "run-5ccec58f-0e70-4378-a129-7842bc337b8d", "cancelled", "cancelled"));
        assertEquals("cancelled", cancelled.status());
        assertEquals(Map.of("fetch_webpage", 1L), cancelled.toolCallsByName());
        assertEquals(1, cancelled.stepCount());
    }

    @Test
    void interChunkGapPercentilesFollowReceiptTimes() {
        Duration ping = Duration.ofSeconds(20);
        List<Long> gapsMillis = new ArrayList<>();
        List<String> lines = LettaFixtures.chunkLines("05-long-run-with-pings");
        for (int i = 1; i < lines.size(); i++) {
            gapsMillis.add(isKeepalive(lines.get(i)) ? ping.toMillis() : STEP.toMillis());
        }
        List<ChunkLogRecord> records = new SyntheticLog("run-4ca67353-d824-444b-81c1-56cf264ca243", T0)
                .attached()
                .chunks(lines, line -> (isKeepalive(line) ? ping : STEP).toNanos())
                .finished("end_turn", "completed")
                .records();
        RunSummary s = RunSummaries.ofRecords(records);
        assertEquals(386, s.chunkCount());
        assertEquals(2, s.stepCount());
        assertEquals(0, s.duplicateCount(), "keepalive pings are not duplicates");
        assertEquals(nearestRank(gapsMillis, 50), s.interChunkGapP50Ms(), nearestRank(gapsMillis, 50) * 0.01);
        assertEquals(nearestRank(gapsMillis, 99), s.interChunkGapP99Ms(), nearestRank(gapsMillis, 99) * 0.01);
        assertEquals(20_000.0, s.interChunkGapMaxMs());
        assertEquals(20_000.0, nearestRank(gapsMillis, 99), "4 pings in 385 gaps reach the 99th percentile");
    }

    private static boolean isKeepalive(String line) {
        return line.contains("\"message_type\":\"ping\"") && !line.contains("\"seq_id\":1,");
    }

    private static double nearestRank(List<Long> values, double percentile) {
        List<Long> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    @Test
    void resumesAreCountedAndTheRunStillAddsUp() {
        SyntheticLog log = new SyntheticLog("run-4ca67353-d824-444b-81c1-56cf264ca243", T0)
                .attached()
                .chunks(LettaFixtures.chunkLines("07a-resume-initial-connection"), STEP)
                .after(Duration.ofSeconds(2))
                .resumed(1, 150, "io_error")
                .chunks(LettaFixtures.chunkLines("07b-resume-replay-after-150"), STEP)
                .finished("end_turn", "completed");
        RunSummary s = RunSummaries.ofRecords(log.records());
        assertEquals(1, s.resumeCount());
        assertEquals(154 + 232, s.chunkCount());
        assertEquals(27940, s.inputTokens());
        assertEquals(842, s.outputTokens());
        assertEquals(24576L, s.cachedInputTokens());
        assertEquals(1830L, s.cacheWriteTokens());
        assertEquals(0, s.gapCount());
        assertEquals(2050.0, s.interChunkGapMaxMs(), 0.001, "the reconnect shows as the largest gap");
    }

    @Test
    void aConnectionErrorIsReadWithoutAProblemAndTakesNoPosition() {
        SyntheticLog log = new SyntheticLog("run-4ca67353-d824-444b-81c1-56cf264ca243", T0)
                .attached()
                .chunks(LettaFixtures.chunkLines("07a-resume-initial-connection"), STEP)
                .connectionError()
                .resumed(1, 150, "error_frame")
                .chunks(LettaFixtures.chunkLines("07b-resume-replay-after-150"), STEP)
                .finished("end_turn", "completed");
        RunSummary s = RunSummaries.ofRecords(log.records());
        assertEquals(0, s.unreadableRecordCount());
        assertEquals(1, s.resumeCount());
        assertEquals(154 + 232, s.chunkCount());
        assertEquals(0, s.gapCount());
        assertEquals(0, s.duplicateCount());
        assertEquals("completed", s.status());
    }

    @Test
    void duplicatesAndMissingPositionsAreCounted() {
        List<ChunkLogRecord> clean =
                recorded("01-simple-reply", "run-e88b7591-31db-4e32-98dc-b35f94c662cd", "end_turn", "completed");
        List<ChunkLogRecord> damaged = new ArrayList<>(clean.subList(0, 21));
        damaged.addAll(clean.subList(11, 14));
        damaged.addAll(clean.subList(21, 30));
        damaged.addAll(clean.subList(33, clean.size()));
        RunSummary s = RunSummaries.ofRecords(damaged);
        assertEquals(3, s.duplicateCount());
        assertEquals(1, s.gapCount());
        assertEquals(3, s.missingPositions());
        assertEquals(62 - 3, s.chunkCount());
    }

    /**
     * The run's last assistant message was over Kafka's limit ({@code chunk.rejected} at its seq) and the stop_reason
     * and usage follow at seq-less positions after it: no chunk is missing. The reader reported "missing the chunk at
     * seq N before position N.1" and the summaries counted a gap.
     */
    @Test
    void aRejectedFrameFollowedBySeqLessChunksIsNoGap() {
        List<String> lines = LettaFixtures.chunkLines("01-simple-reply").stream()
                .filter(line -> !line.isBlank())
                .toList();
        int last = lines.size() - 3; // then stop_reason and usage_statistics
        long lastSeq = Chunk.fromJsonLine(lines.get(last)).seqId();
        List<ChunkLogRecord> records = new SyntheticLog("run-e88b7591-31db-4e32-98dc-b35f94c662cd", T0)
                .attached()
                .chunks(lines.subList(0, last), STEP)
                .rejectedFrame(lastSeq, "oversized", "{")
                .chunks(lines.subList(last + 1, lines.size()), STEP)
                .finished("end_turn", "completed")
                .records();

        assertEquals(0, ReplayEvents.replay(records, event -> {}).gaps(), "the reader finds no gap");
        RunSummary s = RunSummaries.ofRecords(records);
        assertEquals(0, s.gapCount());
        assertEquals(1, s.rejectedChunkCount());
    }

    @Test
    void aRecordedGapIsCountedOnceWithItsMissingSeqs() {
        List<String> lines = LettaFixtures.chunkLines("01-simple-reply");
        SyntheticLog log = new SyntheticLog("run-e88b7591-31db-4e32-98dc-b35f94c662cd", T0)
                .attached()
                .chunks(lines.subList(0, 10), STEP)
                .gap(11, 20L, "trimmed")
                .gap(11, 20L, "trimmed")
                .chunks(lines.subList(20, lines.size()), STEP)
                .finished("end_turn", "completed");
        RunSummary s = RunSummaries.ofRecords(log.records());
        assertEquals(1, s.gapCount(), "the recorded gap, once (its repeat and the chunk after it count no more)");
        assertEquals(10, s.missingPositions());
        assertEquals(lines.size() - 10, s.chunkCount());
    }

    @Test
    void seqsMissingRightBeforeARecordedGapAreAGapOfTheirOwn() {
        List<String> lines = LettaFixtures.chunkLines("01-simple-reply");
        SyntheticLog log = new SyntheticLog("run-e88b7591-31db-4e32-98dc-b35f94c662cd", T0)
                .attached()
                .chunks(lines.subList(0, 8), STEP)
                .gap(11, 20L, "trimmed")
                .chunks(lines.subList(20, lines.size()), STEP)
                .finished("end_turn", "completed");
        RunSummary s = RunSummaries.ofRecords(log.records());
        assertEquals(2, s.gapCount(), "seqs 9 .. 10 and the recorded 11 .. 20");
        assertEquals(12, s.missingPositions());
    }

    @Test
    void foldingOneRecordAtATimeThroughSerialisedStateGivesTheSameSummary() {
        SyntheticLog log = new SyntheticLog("run-4ca67353-d824-444b-81c1-56cf264ca243", T0)
                .attached()
                .chunks(LettaFixtures.chunkLines("07a-resume-initial-connection"), STEP)
                .after(Duration.ofSeconds(2))
                .resumed(1, 150, "io_error")
                .chunks(LettaFixtures.chunkLines("07b-resume-replay-after-150"), STEP)
                .finished("end_turn", "completed");
        RunSummary oneShot = RunSummaries.ofRecords(log.records());
        RunSummaryState state = new RunSummaryFold().state();
        for (ChunkLogRecord record : log.records()) {
            byte[] stored = RunSummaries.stateToJson(state);
            state = RunSummaryFold.fromState(RunSummaries.stateFromJson(stored))
                    .applyAll(ReplayEvents.of(List.of(record)))
                    .state();
        }
        assertEquals(oneShot, RunSummaryFold.fromState(state).summary());
        assertTrue(RunSummaries.stateToJson(state).length < 4096, "the state stays small");
    }

    @Test
    void summaryJsonUsesTheDocumentedFieldNamesAndRoundTrips() throws Exception {
        RunSummary s = RunSummaries.ofRecords(recorded(
                "02-tool-call-two-steps", "run-780c4b16-a510-49fa-a2b2-bbd1c38dbe31", "end_turn", "completed"));
        byte[] json = RunSummaries.toJson(s);
        JsonNode tree = Json.MAPPER.readTree(json);
        assertEquals(4160, tree.get("input_tokens").asInt());
        assertEquals(1, tree.get("tool_calls_by_name").get("web_search").asInt());
        assertEquals("2026-03-14T17:32:11Z", tree.get("started_at").asText());
        assertEquals(s, RunSummaries.fromJson(json));
    }

    @Test
    void terminalLifecycleRecordsDecideTheStatus() {
        RunSummaryFold fold = new RunSummaryFold();
        fold.applyAll(ReplayEvents.of(new SyntheticLog("run-e88b7591-31db-4e32-98dc-b35f94c662cd", T0)
                .attached()
                .chunks(LettaFixtures.chunkLines("01-simple-reply").subList(0, 5), STEP)
                .records()));
        assertEquals("running", fold.summary().status());
        fold.applyAll(ReplayEvents.of(new SyntheticLog("run-e88b7591-31db-4e32-98dc-b35f94c662cd", T0)
                .expired()
                .records()));
        assertEquals("expired", fold.summary().status());
        assertThrows(
                IllegalArgumentException.class,
                () -> RunSummaryFold.fromState(new RunSummaryState(
                        RunSummaryState.VERSION + 1,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        0,
                        0,
                        null,
                        0,
                        null,
                        null,
                        0,
                        null,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0)));
    }
}
