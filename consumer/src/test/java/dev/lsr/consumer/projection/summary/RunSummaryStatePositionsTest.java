package dev.lsr.consumer.projection.summary;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RunSequencer;
import dev.lsr.consumer.reader.LogLocation;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.reader.RunRecord;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A fold state saved before chunk-log had the one sequencer (the same five position numbers) restores and goes on. */
class RunSummaryStatePositionsTest {

    private static final String RUN = "run-1";

    private static String v1State(long highestSeq, int highestSub, long lastVisibleSeq, int seqLessSince) {
        return "{\"version\":1,\"run_id\":\"" + RUN + "\",\"positions\":{\"highest_seq\":" + highestSeq
                + ",\"highest_sub\":" + highestSub + ",\"any_seen\":true,\"last_visible_seq\":" + lastVisibleSeq
                + ",\"seq_less_since\":" + seqLessSince + "},\"chunk_count\":10,\"byte_count\":100,"
                + "\"max_gap_micros\":0,\"step_ids\":[],\"tool_call_names\":{},\"tool_error_count\":0,"
                + "\"resume_count\":0,\"gap_count\":0,\"missing_positions\":0,\"duplicate_count\":0,"
                + "\"rejected_chunk_count\":0,\"unreadable_record_count\":0,\"retry_count\":0}";
    }

    /** A chunk at {@code seq}, as the analytics job hands it (no verdict of its own). */
    private static ReplayEvent chunk(long seq) {
        ChunkLogRecord record = new ChunkLogRecord(
                Envelope.chunk("test", RUN, Position.ofSeq(seq), null, Instant.EPOCH, null, null),
                ("{\"message_type\":\"assistant_message\",\"seq_id\":" + seq + "}").getBytes(UTF_8));
        RunRecord read = new RunRecord(
                LogLocation.kafka("t", 0, seq),
                record,
                new ChunkPeek("assistant_message", null, seq),
                null,
                Json.MAPPER
                        .createObjectNode()
                        .put("message_type", "assistant_message")
                        .put("seq_id", seq));
        return new ReplayEvent.Chunk(read, RunSequencer.Verdict.DELIVER);
    }

    private static RunSummaryFold restore(String json) {
        return RunSummaryFold.fromState(RunSummaries.stateFromJson(json.getBytes(UTF_8)));
    }

    @Test
    void theHighestPositionSeenStillDropsRepeatsAndFindsGaps() {
        RunSummaryFold fold = restore(v1State(10, 0, 10, 0));
        fold.apply(chunk(9)).apply(chunk(10)).apply(chunk(11)).apply(chunk(14));
        RunSummary summary = fold.summary();
        assertEquals(2, summary.duplicateCount());
        assertEquals(12, summary.chunkCount());
        assertEquals(1, summary.gapCount());
        assertEquals(2, summary.missingPositions());
        RunSummaryState saved = fold.state();
        assertEquals(1, saved.version());
        assertEquals(new RunSummaryState.Positions(14, 0, true, 14, 0), saved.positions());
    }

    @Test
    void aLastVisibleSeqMovedByARecordedGapStillCoversTheGap() {
        RunSummaryFold fold = restore(v1State(10, 0, 20, 0));
        fold.apply(chunk(21)).apply(chunk(23));
        assertEquals(1, fold.summary().gapCount(), "21 follows the recorded gap; 22 is missing");
        assertEquals(1, fold.summary().missingPositions());
    }
}
