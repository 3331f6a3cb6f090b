package dev.lsr.consumer.projection.lettacode.internal;

import dev.lsr.consumer.projection.internal.Js;
import dev.lsr.consumer.projection.lettacode.Line;

/**
 * How lines finish (Letta Code's {@code markAsFinished}, {@code handleOtidTransition},
 * {@code markCurrentLineAsFinished}, {@code markIncompleteToolsAsCancelled}, {@code removeIncompleteTools}).
 * Text lines finish on a transition or at the end of a drain; tool lines only through a return, a
 * cancellation or removal.
 */
final class LineLifecycle {

    private LineLifecycle() {}

    /** Why incomplete tool lines are cancelled, with the result text Letta Code shows. */
    enum CancelReason {
        USER_INTERRUPT("Interrupted by user"),
        STREAM_ERROR("Stream error"),
        INTERNAL_CANCEL("Cancelled"),
        APPROVAL_CANCEL("Approval cancelled");

        private final String resultText;

        CancelReason(String resultText) {
            this.resultText = resultText;
        }
    }

    /** Finishes a text line that is still streaming; reasoning loses its trailing newlines. */
    static void markAsFinished(Buffers b, String id) {
        if (b.get(id) instanceof Line.Text text && text.phase() == Line.TextPhase.STREAMING) {
            String finishedText =
                    text instanceof Line.Reasoning ? ReasoningText.trimFinished(text.text()) : text.text();
            b.put(text.with(finishedText, Line.TextPhase.FINISHED, text.isContinuation(), text.messageId()));
        }
    }

    /** Moving to another line id (or otid) finishes the previous text line; then {@code lastOtid} moves. */
    static void handleOtidTransition(Buffers b, String newOtid) {
        if (Js.truthy(b.lastOtid) && !b.lastOtid.equals(newOtid) && b.get(b.lastOtid) instanceof Line.Text) {
            markAsFinished(b, b.lastOtid);
        }
        b.lastOtid = newOtid;
    }

    /** Finishes the text line named by {@code lastOtid}, if any. */
    static void markCurrentLineAsFinished(Buffers b) {
        if (Js.truthy(b.lastOtid) && b.get(b.lastOtid) instanceof Line.Text) {
            markAsFinished(b, b.lastOtid);
        }
    }

    /** Every unfinished tool line becomes finished and failed with the reason's text. */
    static boolean markIncompleteToolsAsCancelled(
            Buffers b, boolean setInterrupted, CancelReason reason, boolean skipMarkCurrentLine) {
        if (setInterrupted) {
            b.interrupted = true;
        }
        boolean any = false;
        for (Line line : b.allLines()) {
            if (line instanceof Line.ToolCall tool && tool.phase() != Line.ToolPhase.FINISHED) {
                b.put(tool.finished(reason.resultText, false));
                any = true;
            }
        }
        if (!skipMarkCurrentLine) {
            markCurrentLineAsFinished(b);
        }
        return any;
    }

    /** Deletes every unfinished tool line from the buffers and its maps. */
    static boolean removeIncompleteTools(Buffers b) {
        boolean any = false;
        for (Line line : b.allLines()) {
            if (line instanceof Line.ToolCall tool && tool.phase() != Line.ToolPhase.FINISHED) {
                b.remove(tool.id());
                if (Js.truthy(tool.toolCallId())) {
                    b.toolCallIdToLineId.remove(tool.toolCallId());
                    b.serverToolCalls.remove(tool.toolCallId());
                }
                any = true;
            }
        }
        return any;
    }
}
