package dev.lsr.consumer.projection.summary;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lsr.chunklog.RecordType;
import dev.lsr.consumer.projection.TokenUsage;
import dev.lsr.consumer.projection.internal.PositionTracker;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The serialisable accumulator behind a {@link RunSummary}: what {@link RunSummaryFold} needs to go on
 * folding a run's records after a restart (an analytics job keeps it in a compacted topic). The
 * inter-chunk gaps are an HdrHistogram (microseconds, 2 significant digits) in its compressed encoding,
 * Base64; everything else is small and bounded by the run's steps and tool calls.
 */
public record RunSummaryState(
        @JsonProperty("version") int version,
        @JsonProperty("run_id") String runId,
        @JsonProperty("agent_id") String agentId,
        @JsonProperty("conversation_id") String conversationId,
        @JsonProperty("positions") PositionTracker.State positions,
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
    public static final int VERSION = 1;
}
