package dev.lsr.consumer.projection.lettacode.internal;

import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.internal.Js;
import dev.lsr.consumer.projection.lettacode.ApprovalRequest;
import dev.lsr.consumer.projection.lettacode.DrainEnd;
import dev.lsr.consumer.projection.lettacode.DrainResult;
import java.util.ArrayList;
import java.util.List;

/**
 * One drain as Letta Code's {@code drainStream} runs it in the resumable path
 * ({@code skipCancelToolsOnError}): every chunk through the stream processor then the accumulator; an
 * error frame or a dropped connection takes the error path; then stop-reason coercion, cancellation or
 * removal of incomplete tools, and finishing the current line.
 */
final class DrainRunner {

    private DrainRunner() {}

    static DrainResult drain(
            Buffers b, List<Chunk> chunks, DrainEnd end, StreamProcessor.Cursor cursor, boolean resumed) {
        StreamProcessor processor = new StreamProcessor(cursor);
        boolean threw = false;
        String fallbackError = null;
        for (Chunk chunk : chunks) {
            if (chunk.isDroppedEvent()) {
                continue;
            }
            if (chunk.isErrorEvent()) {
                processor.process(chunk);
                if (processor.lastRunId == null && Js.truthy(chunk.json().get("run_id"))) {
                    processor.lastRunId = chunk.json().get("run_id").asText();
                }
                threw = true;
                fallbackError = ApiErrorText.of(chunk.json());
                break;
            }
            if (processor.process(chunk)) {
                Accumulator.onChunk(b, chunk.json());
            }
        }
        if (!threw && (end == DrainEnd.DROPPED || (end == DrainEnd.INFERRED && !processor.stopReasonSeen))) {
            threw = true;
        }
        return finish(b, processor, threw, fallbackError, resumed);
    }

    private static DrainResult finish(
            Buffers b, StreamProcessor processor, boolean threw, String fallbackError, boolean resumed) {
        String stopReason = null;
        if (threw) {
            stopReason = processor.hasStopReason() ? processor.stopReason : "error";
            if ("error".equals(stopReason)) {
                b.interrupted = true;
            } else if ("llm_api_error".equals(stopReason)) {
                b.interrupted = false;
                LineLifecycle.removeIncompleteTools(b);
            }
        }
        if (stopReason == null && processor.hasStopReason()) {
            stopReason = processor.stopReason;
        }
        if (stopReason == null) {
            stopReason = "error";
        }
        List<ApprovalRequest> approvals = new ArrayList<>();
        for (StreamProcessor.PendingApproval pending : processor.pendingApprovals.values()) {
            approvals.add(new ApprovalRequest(
                    pending.toolCallId,
                    pending.toolName,
                    pending.toolArgs,
                    Js.truthy(pending.messageId) ? pending.messageId : null));
        }
        if ("end_turn".equals(stopReason) && !approvals.isEmpty()) {
            stopReason = "requires_approval";
        }
        switch (stopReason) {
            case "cancelled" ->
                LineLifecycle.markIncompleteToolsAsCancelled(b, true, LineLifecycle.CancelReason.USER_INTERRUPT, false);
            case "end_turn", "llm_api_error" -> LineLifecycle.removeIncompleteTools(b);
            default -> {
                // other stop reasons keep incomplete tools as they are
            }
        }
        if (!"error".equals(stopReason)) {
            LineLifecycle.markCurrentLineAsFinished(b);
        }
        return new DrainResult(
                stopReason,
                processor.stopReasonSeen,
                processor.lastRunId,
                processor.lastSeqId,
                approvals,
                fallbackError,
                resumed);
    }
}
