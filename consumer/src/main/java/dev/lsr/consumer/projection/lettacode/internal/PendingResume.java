package dev.lsr.consumer.projection.lettacode.internal;

import dev.lsr.consumer.projection.lettacode.ApprovalRequest;
import dev.lsr.consumer.projection.lettacode.DrainResult;
import java.util.ArrayList;
import java.util.List;

/**
 * A drain that ended {@code error} without a stop reason, waiting for its resume ({@code
 * drainStreamWithResume}'s state between attempts): where to resume, and the first drain's result and
 * approvals to carry over.
 */
final class PendingResume {

    /** The run to resume, or null when the drop came before any run id (resumed by otid). */
    final String runId;
    /** {@code starting_after} of the next attempt ({@code lastSeqId ?? 0}). */
    long nextSeqId;
    /** What the result reports as {@code lastSeqId}: the initial drain's, then the last attempt's. */
    Long reportedSeqId;

    boolean attempted;
    List<ApprovalRequest> approvals;
    DrainResult initialResult;

    PendingResume(DrainResult initial) {
        this.runId = initial.lastRunId();
        this.nextSeqId = initial.lastSeqId() != null ? initial.lastSeqId() : 0;
        this.reportedSeqId = initial.lastSeqId();
        this.approvals = initial.approvals();
        this.initialResult = initial;
    }

    /** Records a failed resume attempt that got as far as {@code seqId}. */
    void attemptFailed(long seqId) {
        nextSeqId = seqId;
        reportedSeqId = seqId;
        attempted = true;
    }

    /** The initial result as it stands after failed attempts: same outcome, cursor moved. */
    DrainResult failedResult(String fallbackError) {
        return new DrainResult(
                initialResult.stopReason(),
                initialResult.sawStopReasonChunk(),
                runId,
                reportedSeqId,
                initialResult.approvals(),
                fallbackError,
                attempted);
    }

    /** {@code mergeApprovalRequests}: same tool call ids concatenate their args, new ones are appended. */
    static List<ApprovalRequest> merge(List<ApprovalRequest> previous, List<ApprovalRequest> next) {
        List<ApprovalRequest> merged = new ArrayList<>(previous);
        for (ApprovalRequest approval : next) {
            int index = indexOf(merged, approval.toolCallId());
            if (index >= 0) {
                ApprovalRequest existing = merged.get(index);
                String name = existing.toolName().isEmpty() ? approval.toolName() : existing.toolName();
                merged.set(
                        index,
                        new ApprovalRequest(
                                existing.toolCallId(),
                                name,
                                existing.toolArgs() + approval.toolArgs(),
                                existing.messageId()));
            } else {
                merged.add(approval);
            }
        }
        return merged;
    }

    /**
     * The resumed drain's approvals, each prefixed with the args seen before the drop (Letta Code's
     * "case 2" merge; approvals only seen before the drop are not kept in this case, as in 0.32.x).
     */
    static List<ApprovalRequest> prefixWithOriginal(List<ApprovalRequest> original, List<ApprovalRequest> resumed) {
        List<ApprovalRequest> merged = new ArrayList<>();
        for (ApprovalRequest approval : resumed) {
            int index = indexOf(original, approval.toolCallId());
            if (index < 0) {
                merged.add(approval);
                continue;
            }
            ApprovalRequest orig = original.get(index);
            String name = approval.toolName().isEmpty() ? orig.toolName() : approval.toolName();
            merged.add(new ApprovalRequest(
                    approval.toolCallId(), name, orig.toolArgs() + approval.toolArgs(), approval.messageId()));
        }
        return merged;
    }

    private static int indexOf(List<ApprovalRequest> approvals, String toolCallId) {
        for (int i = 0; i < approvals.size(); i++) {
            if (approvals.get(i).toolCallId().equals(toolCallId)) {
                return i;
            }
        }
        return -1;
    }
}
