package dev.lsr.consumer.projection.lettacode;

/**
 * Letta Code's {@code buffers.usage}: counters summed over every {@code usage_statistics} chunk, and
 * {@code contextTokens}, the last snapshot (null until one arrives).
 */
public record Usage(
        long promptTokens,
        long completionTokens,
        long totalTokens,
        long cachedInputTokens,
        long cacheWriteTokens,
        long reasoningTokens,
        long stepCount,
        Long contextTokens) {

    public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, 0, 0, null);
}
