package dev.lsr.viewer.model;

import dev.lsr.consumer.projection.summary.RunSummary;
import java.time.Instant;

/**
 * One line of the runs page: a run as its summary says so far. {@code recording} is true while the log
 * holds no end for it (the recorder may still be appending).
 */
public record RunRow(
        String runId,
        String agentId,
        String conversationId,
        String status,
        String stopReason,
        Instant startedAt,
        Long durationMs,
        Long timeToFirstContentMs,
        long inputTokens,
        long outputTokens,
        long toolCalls,
        int resumes,
        long gaps,
        boolean recording) {

    /** The summary's status while nothing says how the run ended. */
    static final String RUNNING = "running";

    /** The row of a run; {@code ended}: the log holds the run's end (a terminal record). */
    static RunRow of(RunSummary summary, boolean ended) {
        Long duration = summary.durationMs();
        if (duration == null && summary.startedAt() != null && summary.lastChunkAt() != null) {
            // still being recorded (or ended in content only): first record to last chunk so far
            duration =
                    summary.lastChunkAt().toEpochMilli() - summary.startedAt().toEpochMilli();
        }
        return new RunRow(
                summary.runId(),
                summary.agentId(),
                summary.conversationId(),
                summary.status(),
                summary.stopReason(),
                summary.startedAt(),
                duration,
                summary.timeToFirstContentMs(),
                summary.inputTokens(),
                summary.outputTokens(),
                summary.toolCallCount(),
                summary.resumeCount(),
                summary.gapCount(),
                !ended && RUNNING.equals(summary.status()));
    }
}
