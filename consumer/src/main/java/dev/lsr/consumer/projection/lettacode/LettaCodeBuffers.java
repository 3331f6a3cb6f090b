package dev.lsr.consumer.projection.lettacode;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.lettacode.internal.BuffersJson;
import dev.lsr.consumer.projection.lettacode.internal.DrainSession;
import java.util.List;
import java.util.Map;

/**
 * The buffers Letta Code 0.32.18 builds live, rebuilt from chunks: a pure fold over drains (no I/O).
 *
 * <p>Feed each drain (one HTTP stream body) in order with {@link #drain(List)}. A drain that ends with
 * {@code error} and no stop reason waits for its resume: the next drain of the same run is treated as the
 * resume (cursor {@code {runId, lastSeqId}}, replayed chunks at or below it dropped, approvals carried over).
 * A drain of another run starts a new turn of the session. Not thread-safe; one instance per session.
 */
public final class LettaCodeBuffers {

    private final DrainSession session;

    LettaCodeBuffers(Options options) {
        this.session = new DrainSession(options);
    }

    /** Runs one drain whose end is inferred from its chunks ({@link DrainEnd#INFERRED}). */
    public DrainResult drain(List<Chunk> chunks) {
        return drain(chunks, DrainEnd.INFERRED);
    }

    /** Runs one drain that ended as stated. */
    public DrainResult drain(List<Chunk> chunks, DrainEnd end) {
        return session.drain(List.copyOf(chunks), end);
    }

    /**
     * Declares that the pending resume will not come (the run's log ends here): incomplete tools are
     * cancelled with "Stream error" and the current line is finished. No effect when nothing is pending.
     */
    public void abandonResume() {
        session.abandonResume();
    }

    /** Whether the last drain ended with {@code error} and awaits its resume. */
    public boolean awaitingResume() {
        return session.awaitingResume();
    }

    /** The result of the last drain (with its resume merged in), or null before the first. */
    public DrainResult lastDrainResult() {
        return session.lastResult();
    }

    /** {@code toLines()}: the lines in display order. */
    public List<Line> lines() {
        return session.buffers().lines();
    }

    public List<String> order() {
        return session.buffers().order();
    }

    public Map<String, String> toolCallIdToLineId() {
        return session.buffers().toolCallIdToLineId();
    }

    public String lastOtid() {
        return session.buffers().lastOtid();
    }

    public boolean interrupted() {
        return session.buffers().interrupted();
    }

    public boolean approvalsPending() {
        return session.buffers().approvalsPending();
    }

    public long tokenCount() {
        return session.buffers().tokenCount();
    }

    public Usage usage() {
        return session.buffers().usage();
    }

    /**
     * The fixtures' {@code expected/*.json} layout: {@code {drainResult, tokenStreamingEnabled, buffers{order,
     * lines, toolCallIdToLineId, lastOtid, interrupted, approvalsPending, tokenCount, usage}}}.
     */
    public ObjectNode toJson() {
        return BuffersJson.write(session.buffers(), session.lastResult());
    }
}
