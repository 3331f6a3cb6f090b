package dev.lsr.consumer.projection;

import dev.lsr.chunklog.LettaRunStatus;
import dev.lsr.chunklog.RecordType;

/**
 * A run's status from what its log shows: the server's final status from {@code RUN_FINISHED} when
 * present, else the terminal lifecycle record, else the stop reason (Letta's stop-reason table), else
 * {@code running} once anything was recorded. The one rule: the run summary, the transcript and the CLI's
 * {@code runs} table all take a run's status from here, so no two of them tell one run apart.
 */
public final class RunStatus {

    private RunStatus() {}

    /**
     * @param terminal       the recorder's terminal record type (the last), or null
     * @param finishedStatus the server's final status from {@code RUN_FINISHED}, or null
     * @param stopReason     the run's last {@code stop_reason} chunk, else the one in {@code RUN_FINISHED}, or null
     */
    public static String of(RecordType terminal, String finishedStatus, String stopReason) {
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
