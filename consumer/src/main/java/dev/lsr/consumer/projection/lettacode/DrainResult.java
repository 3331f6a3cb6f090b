package dev.lsr.consumer.projection.lettacode;

import java.util.List;

/**
 * What a drain (or a drain and its resumes) ended with, as Letta Code's {@code drainStreamWithResume}
 * returns it.
 *
 * @param stopReason         the final stop reason after coercion ({@code error} when none was seen)
 * @param sawStopReasonChunk whether the last stop_reason chunk carried a non-null reason
 * @param lastRunId          the last run id seen, or null
 * @param lastSeqId          the last seq_id seen (pings included), or null
 * @param approvals          the approvals collected, in first-seen order
 * @param fallbackError      the client-side error text when the drain ended on an error frame, or null
 * @param resumed            whether this result comes from a resumed drain
 */
public record DrainResult(
        String stopReason,
        boolean sawStopReasonChunk,
        String lastRunId,
        Long lastSeqId,
        List<ApprovalRequest> approvals,
        String fallbackError,
        boolean resumed) {

    public DrainResult {
        approvals = List.copyOf(approvals);
    }
}
