package dev.lsr.consumer.projection.summary;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.RunSequencer;
import dev.lsr.consumer.projection.TokenUsage;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The serialisable accumulator behind a {@link RunSummary}: what {@link RunSummaryFold} needs to go on
 * folding a run's records after a restart (an analytics job keeps it in a compacted topic). The
 * inter-chunk gaps are an HdrHistogram (microseconds, 2 significant digits) in its compressed encoding,
 * Base64; everything else is small and bounded by the run's steps and tool calls.
 *
 * <p>Version 2 keeps the run's order as chunk-log's {@link RunSequencer.State} ({@code sequence}).
 * Version 1 kept five numbers of the fold's own position tracker ({@code positions}); a fold restored
 * from version 1 continues from them ({@link V1Positions}), and saves version 2 from then on.
 */
public record RunSummaryState(
        @JsonProperty("version") int version,
        @JsonProperty("run_id") String runId,
        @JsonProperty("agent_id") String agentId,
        @JsonProperty("conversation_id") String conversationId,
        @JsonProperty("positions") V1Positions positions,
        @JsonProperty("sequence") RunSequencer.State sequence,
        @JsonProperty("attached_at") Instant attachedAt,
        @JsonProperty("first_record_at") Instant firstRecordAt,
        @JsonProperty("first_content_at") Instant firstContentAt,
        @JsonProperty("last_chunk_at") Instant lastChunkAt,
        @JsonProperty("finished_at") Instant finishedAt,
        @JsonProperty("terminal") RecordType terminal,
        @JsonProperty("finished_status") String finishedStatus,
        @JsonProperty("finished_stop_reason") String finishedStopReason,
        @JsonProperty("stop_reason") String stopReason,
        @JsonProperty("error_type") String errorType,
        @JsonProperty("chunk_count") long chunkCount,
        @JsonProperty("byte_count") long byteCount,
        @JsonProperty("gap_histogram") String gapHistogram,
        @JsonProperty("max_gap_micros") long maxGapMicros,
        @JsonProperty("step_ids") List<String> stepIds,
        @JsonProperty("tool_call_names") Map<String, String> toolCallNames,
        @JsonProperty("tool_error_count") long toolErrorCount,
        @JsonProperty("usage") TokenUsage usage,
        @JsonProperty("resume_count") int resumeCount,
        @JsonProperty("gap_count") long gapCount,
        @JsonProperty("missing_positions") long missingPositions,
        @JsonProperty("duplicate_count") long duplicateCount,
        @JsonProperty("rejected_chunk_count") long rejectedChunkCount,
        @JsonProperty("unreadable_record_count") long unreadableRecordCount,
        @JsonProperty("retry_count") long retryCount) {

    /** The layout version of this state; a fold refuses newer ones. */
    public static final int VERSION = 2;

    /**
     * The run's order as version 1 saved it: the highest chunk position seen, and the last visible seq
     * with the seq-less chunks since (moved to the end of a recorded gap). Read only.
     */
    public record V1Positions(@JsonProperty("highest_seq") long highestSeq,
                              @JsonProperty("highest_sub") int highestSub,
                              @JsonProperty("any_seen") boolean anySeen,
                              @JsonProperty("last_visible_seq") long lastVisibleSeq,
                              @JsonProperty("seq_less_since") int seqLessSince) {

        /**
         * The same order as a sequencer state: the high-water mark, and a recorded gap when the last
         * visible seq was moved past it. Rejections and recorder record ids were not kept: none count.
         */
        public RunSequencer.State toSequence(RecordType terminal) {
            String highWater = anySeen ? new dev.lsr.chunklog.Position(highestSeq, highestSub).toString() : null;
            boolean movedByRecordedGap = seqLessSince == 0 && lastVisibleSeq > highestSeq + highestSub;
            return new RunSequencer.State(highWater, 0, 0, movedByRecordedGap ? lastVisibleSeq : 0, false, terminal,
                    java.util.List.of());
        }
    }
}
