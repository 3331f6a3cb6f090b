package dev.lsr.consumer.projection.lettacode.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.consumer.projection.lettacode.Usage;

/**
 * Letta Code's {@code usage_statistics} handling: counters are summed (a JSON null adds nothing, as
 * {@code n += null} adds 0), the three optional counters only when not null, and {@code context_tokens}
 * overwrites a snapshot.
 */
final class UsageCounter {

    private long promptTokens;
    private long completionTokens;
    private long totalTokens;
    private long cachedInputTokens;
    private long cacheWriteTokens;
    private long reasoningTokens;
    private long stepCount;
    private Long contextTokens;

    void add(JsonNode chunk) {
        promptTokens += count(chunk.get("prompt_tokens"));
        completionTokens += count(chunk.get("completion_tokens"));
        totalTokens += count(chunk.get("total_tokens"));
        cachedInputTokens += count(chunk.get("cached_input_tokens"));
        cacheWriteTokens += count(chunk.get("cache_write_tokens"));
        reasoningTokens += count(chunk.get("reasoning_tokens"));
        JsonNode context = chunk.get("context_tokens");
        if (context != null && context.isNumber()) {
            contextTokens = context.longValue();
        }
        stepCount += count(chunk.get("step_count"));
    }

    private static long count(JsonNode value) {
        return value != null && value.isNumber() ? value.longValue() : 0;
    }

    Usage snapshot() {
        return new Usage(
                promptTokens,
                completionTokens,
                totalTokens,
                cachedInputTokens,
                cacheWriteTokens,
                reasoningTokens,
                stepCount,
                contextTokens);
    }
}
