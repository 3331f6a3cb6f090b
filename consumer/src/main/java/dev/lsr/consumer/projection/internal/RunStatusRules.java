package dev.lsr.consumer.projection.internal;

import dev.lsr.chunklog.LettaRunStatus;
import dev.lsr.chunklog.RecordType;

/**
 * A run's status from what its log shows: the server's final status from {@code RUN_FINISHED} when
 * present, else the terminal lifecycle record, else the stop reason (Letta's stop-reason table), else
 * {@code running} once anything was recorded.
 */
public final class RunStatusRules {

    private RunStatusRules() {}

    public static String status(RecordType terminal, String finishedStatus, String stopReason) {
        if (finishedStatus != null && !finishedStatus.isBlank()) {
            return finishedStatus;
        }
        if (terminal != null && terminal != RecordType.RUN_FINISHED) {
            return switch (terminal) {
                case RUN_EXPIRED -> "expired";
                case RUN_GONE -> "gone";
                case RUN_NOT_RESUMABLE -> "not_resumable";
                case RUN_ABANDONED -> "abandoned";
                default -> "unknown";
            };
        }
        if (stopReason != null) {
            return LettaRunStatus.ofStopReason(stopReason);
        }
        return terminal == RecordType.RUN_FINISHED ? "unknown" : "running";
    }
}
