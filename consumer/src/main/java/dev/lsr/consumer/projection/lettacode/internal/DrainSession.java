package dev.lsr.consumer.projection.lettacode.internal;

import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.lettacode.ApprovalRequest;
import dev.lsr.consumer.projection.lettacode.DrainEnd;
import dev.lsr.consumer.projection.lettacode.DrainResult;
import dev.lsr.consumer.projection.lettacode.Options;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Letta Code session over one buffer: drains in order, each with a per-run cursor, with the resume
 * logic of {@code drainStreamWithResume} spread over successive drains of the same run (a drain that ends
 * {@code error} without a stop reason waits for its resume; the next drain of that run is the resume), and
 * Letta Code's turn start between runs.
 *
 * <p>A drop before any run id is resumable too: Letta Code always sends its own otid and resumes through
 * the conversation stream by otid; the next drain is then its resume, without a cursor.
 */
public final class DrainSession {

    private static final String APPROVAL_PENDING_CONFLICT = "waiting for approval on a tool call";

    private final Buffers buffers;
    private final Options options;
    private final Map<String, Long> highestSeqByRun = new HashMap<>();
    private String currentRunId;
    private PendingResume pending;
    private DrainResult lastResult;

    public DrainSession(Options options) {
        this.options = options;
        this.buffers = new Buffers(options.tokenStreamingEnabled());
    }

    public Buffers buffers() {
        return buffers;
    }

    public DrainResult lastResult() {
        return lastResult;
    }

    public boolean awaitingResume() {
        return pending != null;
    }

    public DrainResult drain(List<Chunk> chunks, DrainEnd end) {
        String runId = firstRunId(chunks);
        if (pending != null) {
            if (runId == null || pending.runId == null || runId.equals(pending.runId)) {
                if (currentRunId == null) {
                    currentRunId = runId;
                }
                return finishDrain(resume(chunks, end));
            }
            abandonResume();
        }
        if (runId != null && !runId.equals(currentRunId)) {
            startRun(runId);
        }
        Long seen = runId != null ? highestSeqByRun.get(runId) : null;
        StreamProcessor.Cursor cursor = seen != null ? new StreamProcessor.Cursor(runId, seen) : null;
        DrainResult result = DrainRunner.drain(buffers, chunks, end, cursor, false);
        remember(result);
        if ("error".equals(result.stopReason())) {
            boolean conflict =
                    result.fallbackError() != null && result.fallbackError().contains(APPROVAL_PENDING_CONFLICT);
            if (!result.sawStopReasonChunk() && !conflict) {
                pending = new PendingResume(result);
            } else if (result.sawStopReasonChunk()) {
                finalizeWithoutResume();
            }
        }
        return finishDrain(result);
    }

    /**
     * Gives up on a pending resume (the log holds no more drains of that run): as Letta Code does when a
     * resume fails, incomplete tools are cancelled ("Stream error") and the current line is finished.
     */
    public void abandonResume() {
        if (pending == null) {
            return;
        }
        finalizeWithoutResume();
        lastResult = pending.failedResult(pending.initialResult.fallbackError());
        pending = null;
    }

    private DrainResult resume(List<Chunk> chunks, DrainEnd end) {
        buffers.interrupted = false;
        StreamProcessor.Cursor cursor =
                pending.runId != null ? new StreamProcessor.Cursor(pending.runId, pending.nextSeqId) : null;
        DrainResult candidate = DrainRunner.drain(buffers, chunks, end, cursor, true);
        String runId = candidate.lastRunId() != null ? candidate.lastRunId() : pending.runId;
        long seqId = candidate.lastSeqId() != null ? candidate.lastSeqId() : pending.nextSeqId;
        candidate = new DrainResult(
                candidate.stopReason(),
                candidate.sawStopReasonChunk(),
                runId,
                seqId,
                candidate.approvals(),
                candidate.fallbackError(),
                true);
        remember(candidate);
        if (!"error".equals(candidate.stopReason())) {
            List<ApprovalRequest> original = pending.approvals;
            pending = null;
            return carryApprovals(candidate, original);
        }
        pending.attemptFailed(seqId);
        pending.approvals = PendingResume.merge(pending.approvals, candidate.approvals());
        if (candidate.sawStopReasonChunk()) {
            String fallback = pending.initialResult.fallbackError() != null
                    ? pending.initialResult.fallbackError()
                    : candidate.fallbackError();
            finalizeWithoutResume();
            DrainResult failed = pending.failedResult(fallback);
            pending = null;
            return failed;
        }
        return pending.failedResult(pending.initialResult.fallbackError());
    }

    private static DrainResult carryApprovals(DrainResult resumed, List<ApprovalRequest> original) {
        if (original.isEmpty()) {
            return resumed;
        }
        if ("requires_approval".equals(resumed.stopReason())) {
            List<ApprovalRequest> approvals = resumed.approvals().isEmpty()
                    ? original
                    : PendingResume.prefixWithOriginal(original, resumed.approvals());
            return withApprovals(resumed, resumed.stopReason(), approvals);
        }
        if ("end_turn".equals(resumed.stopReason())) {
            return withApprovals(resumed, "requires_approval", original);
        }
        return resumed;
    }

    private static DrainResult withApprovals(DrainResult result, String stopReason, List<ApprovalRequest> approvals) {
        return new DrainResult(
                stopReason,
                result.sawStopReasonChunk(),
                result.lastRunId(),
                result.lastSeqId(),
                approvals,
                result.fallbackError(),
                result.resumed());
    }

    /** The end of {@code drainStreamWithResume}: an approval stop with approvals clears an interrupted state. */
    private DrainResult finishDrain(DrainResult result) {
        if ("requires_approval".equals(result.stopReason())
                && !result.approvals().isEmpty()
                && buffers.interrupted) {
            buffers.interrupted = false;
            LineLifecycle.markCurrentLineAsFinished(buffers);
        }
        lastResult = result;
        return result;
    }

    private void finalizeWithoutResume() {
        LineLifecycle.markIncompleteToolsAsCancelled(buffers, false, LineLifecycle.CancelReason.STREAM_ERROR, true);
        LineLifecycle.markCurrentLineAsFinished(buffers);
    }

    private void startRun(String runId) {
        if (options.runBoundary() == Options.RunBoundary.LETTA_CODE_TURN) {
            boolean continuation = lastResult != null && "requires_approval".equals(lastResult.stopReason());
            RunBoundary.startRun(buffers, continuation);
        }
        currentRunId = runId;
    }

    private void remember(DrainResult result) {
        if (result.lastRunId() != null && result.lastSeqId() != null) {
            highestSeqByRun.merge(result.lastRunId(), result.lastSeqId(), Math::max);
        }
    }

    private static String firstRunId(List<Chunk> chunks) {
        for (Chunk chunk : chunks) {
            if (!chunk.isDroppedEvent() && chunk.runId() != null) {
                return chunk.runId();
            }
        }
        return null;
    }
}
