package dev.lsr.consumer.projection.lettacode.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.lsr.chunklog.Json;
import dev.lsr.consumer.projection.internal.Js;
import dev.lsr.consumer.projection.lettacode.Line;
import java.io.IOException;
import java.util.Map;

/**
 * What Letta Code's conversation loop does to the buffers when it starts the next run of a session
 * ({@code processConversation}): see {@link dev.lsr.consumer.projection.lettacode.Options.RunBoundary#LETTA_CODE_TURN}.
 */
final class RunBoundary {

    private static final ObjectReader STRICT =
            Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private RunBoundary() {}

    /**
     * @param continuation the previous run stopped with {@code requires_approval}: this run carries the
     *                     client's approval answer ({@code allowReentry})
     */
    static void startRun(Buffers b, boolean continuation) {
        b.approvalsPending = false;
        promoteReadyServerToolCalls(b);
        if (continuation) {
            finishAnsweredApprovals(b);
        } else {
            LineLifecycle.markIncompleteToolsAsCancelled(b, false, LineLifecycle.CancelReason.INTERNAL_CANCEL, false);
        }
        b.interrupted = false;
    }

    /** Server tools whose arguments parse (or are empty) and have no return yet are shown running. */
    private static void promoteReadyServerToolCalls(Buffers b) {
        for (Map.Entry<String, Buffers.ServerToolCall> entry : b.serverToolCalls.entrySet()) {
            String lineId = b.toolCallIdToLineId.get(entry.getKey());
            if (lineId == null
                    || !(b.get(lineId) instanceof Line.ToolCall line)
                    || line.phase() == Line.ToolPhase.FINISHED) {
                continue;
            }
            String args = entry.getValue().toolArgs;
            if (argsComplete(args) && line.phase() != Line.ToolPhase.RUNNING) {
                b.put(line.withPhase(Line.ToolPhase.RUNNING)
                        .withArgsText(line.argsText() != null ? line.argsText() : args));
            }
        }
    }

    private static boolean argsComplete(String args) {
        if (Js.trim(args).isEmpty()) {
            return true;
        }
        try {
            STRICT.readTree(args);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The client executed or denied the approvals before sending this run: their lines are done. The result
     * stays unset because the client's tool results are not echoed on the stream.
     */
    private static void finishAnsweredApprovals(Buffers b) {
        for (Line line : b.allLines()) {
            if (line instanceof Line.ToolCall tool && tool.phase() == Line.ToolPhase.READY) {
                b.put(tool.withPhase(Line.ToolPhase.FINISHED));
            }
        }
    }
}
