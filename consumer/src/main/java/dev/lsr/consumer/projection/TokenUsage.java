package dev.lsr.consumer.projection;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Token usage of a run, summed over its {@code usage_statistics} chunks (Letta sends one, cumulative for
 * the run; several are summed). Optional counters stay null until a chunk reports them.
 */
public record TokenUsage(
        @JsonProperty("input_tokens") long inputTokens,
        @JsonProperty("output_tokens") long outputTokens,
        @JsonProperty("total_tokens") long totalTokens,
        @JsonProperty("cached_input_tokens") Long cachedInputTokens,
        @JsonProperty("cache_write_tokens") Long cacheWriteTokens,
        @JsonProperty("reasoning_tokens") Long reasoningTokens,
        @JsonProperty("step_count") long stepCount,
        @JsonProperty("context_tokens") Long contextTokens) {

    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, null, null, null, 0, null);

    /** This usage plus one {@code usage_statistics} chunk ({@code context_tokens} is a snapshot: last wins). */
    public TokenUsage plus(JsonNode usage) {
        return new TokenUsage(
                inputTokens + count(usage, "prompt_tokens"),
                outputTokens + count(usage, "completion_tokens"),
                totalTokens + count(usage, "total_tokens"),
                sum(cachedInputTokens, usage, "cached_input_tokens"),
                sum(cacheWriteTokens, usage, "cache_write_tokens"),
                sum(reasoningTokens, usage, "reasoning_tokens"),
                stepCount + count(usage, "step_count"),
                usage.path("context_tokens").isNumber()
                        ? Long.valueOf(usage.get("context_tokens").longValue())
                        : contextTokens);
    }

    private static long count(JsonNode usage, String field) {
        JsonNode value = usage.get(field);
        return value != null && value.isNumber() ? value.longValue() : 0;
    }

    private static Long sum(Long current, JsonNode usage, String field) {
        JsonNode value = usage.get(field);
        if (value == null || !value.isNumber()) {
            return current;
        }
        return (current == null ? 0 : current) + value.longValue();
    }
}
