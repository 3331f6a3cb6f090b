package dev.lsr.consumer.projection.summary;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One record per run for analytics (field names and their OpenTelemetry GenAI mapping: {@code
 * docs/run-summary.md}). Times are recorder receipt times; durations are milliseconds; null means unknown.
 */
public record RunSummary(
        @JsonProperty("run_id") String runId,
        @JsonProperty("agent_id") String agentId,
        @JsonProperty("conversation_id") String conversationId,
        @JsonProperty("status") String status,
        @JsonProperty("stop_reason") String stopReason,
        @JsonProperty("error_type") String errorType,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("first_content_at") Instant firstContentAt,
        @JsonProperty("finished_at") Instant finishedAt,
        @JsonProperty("last_chunk_at") Instant lastChunkAt,
        @JsonProperty("time_to_first_content_ms") Long timeToFirstContentMs,
        @JsonProperty("duration_ms") Long durationMs,
        @JsonProperty("chunk_count") long chunkCount,
        @JsonProperty("byte_count") long byteCount,
        @JsonProperty("inter_chunk_gap_p50_ms") Double interChunkGapP50Ms,
        @JsonProperty("inter_chunk_gap_p99_ms") Double interChunkGapP99Ms,
        @JsonProperty("inter_chunk_gap_max_ms") Double interChunkGapMaxMs,
        @JsonProperty("step_count") long stepCount,
        @JsonProperty("tool_call_count") long toolCallCount,
        @JsonProperty("tool_calls_by_name") Map<String, Long> toolCallsByName,
        @JsonProperty("tool_error_count") long toolErrorCount,
        @JsonProperty("input_tokens") long inputTokens,
        @JsonProperty("output_tokens") long outputTokens,
        @JsonProperty("total_tokens") long totalTokens,
        @JsonProperty("cached_input_tokens") Long cachedInputTokens,
        @JsonProperty("cache_write_tokens") Long cacheWriteTokens,
        @JsonProperty("reasoning_tokens") Long reasoningTokens,
        @JsonProperty("resume_count") int resumeCount,
        @JsonProperty("gap_count") long gapCount,
        @JsonProperty("missing_positions") long missingPositions,
        @JsonProperty("duplicate_count") long duplicateCount,
        @JsonProperty("rejected_chunk_count") long rejectedChunkCount,
        @JsonProperty("unreadable_record_count") long unreadableRecordCount,
        @JsonProperty("retry_count") long retryCount) {

    public RunSummary {
        // Sorted, so that a summary's JSON (the summary topic's value) is the same bytes on every JVM:
        // Map.copyOf's iteration order differs from one JVM run to the next.
        toolCallsByName = Collections.unmodifiableSortedMap(new TreeMap<>(toolCallsByName));
    }
}
