package dev.lsr.recorder.internal.drain;

import dev.lsr.chunklog.Position;
import java.time.Instant;
import java.util.Objects;

/**
 * What the recorder knows about one run while draining it: ids for the envelope, the last appended
 * position, the last stop reason seen, and when the run last made progress. Confined to the run's
 * thread (the watchdog only reads {@link #stopReasonSeen()}).
 */
public final class RunCursor {

    private final String runId;
    private final String agentId;
    private final String conversationId;
    private Position lastAppended;
    private volatile String lastStopReason;
    private Instant lastProgressAt;
    private long appended;
    private long rejected;
    private long gaps;

    public RunCursor(String runId, String agentId, String conversationId, Position lastAppended, Instant now) {
        this.runId = Objects.requireNonNull(runId, "runId");
        this.agentId = agentId;
        this.conversationId = conversationId;
        this.lastAppended = Objects.requireNonNull(lastAppended, "lastAppended");
        this.lastProgressAt = now;
    }

    public String runId() {
        return runId;
    }

    public String agentId() {
        return agentId;
    }

    public String conversationId() {
        return conversationId;
    }

    public Position lastAppended() {
        return lastAppended;
    }

    /** The {@code starting_after} of the next connection: the seq of the last appended position. */
    public long resumeAfter() {
        return lastAppended.seq();
    }

    public String lastStopReason() {
        return lastStopReason;
    }

    public boolean stopReasonSeen() {
        return lastStopReason != null;
    }

    public Instant lastProgressAt() {
        return lastProgressAt;
    }

    /** How many chunks this recorder appended for the run (since it started). */
    public long appended() {
        return appended;
    }

    /** How many frames of the run were rejected (since the recorder started). */
    public long rejected() {
        return rejected;
    }

    /** How many {@code run.gap} records this recorder appended for the run (since it started). */
    public long gaps() {
        return gaps;
    }

    void gapRecorded() {
        gaps++;
    }

    void appended(Position position, Instant at) {
        lastAppended = position;
        lastProgressAt = at;
        appended++;
    }

    void rejected(Position position, Instant at) {
        lastAppended = position;
        lastProgressAt = at;
        rejected++;
    }

    void stopReason(String stopReason) {
        lastStopReason = stopReason;
    }
}
