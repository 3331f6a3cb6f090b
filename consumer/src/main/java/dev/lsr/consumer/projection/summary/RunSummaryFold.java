package dev.lsr.consumer.projection.summary;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RunSequencer;
import dev.lsr.chunklog.RunSequencer.Verdict;
import dev.lsr.consumer.projection.RunLogEntries;
import dev.lsr.consumer.projection.RunLogEntry;
import dev.lsr.consumer.projection.TokenUsage;
import dev.lsr.consumer.projection.internal.Content;
import dev.lsr.consumer.projection.internal.Js;
import dev.lsr.consumer.projection.internal.LogOrder;
import dev.lsr.consumer.reader.ReplayEvent;
import java.time.Duration;
import java.time.Instant;

/**
 * Folds one run's log entries, in log order, into its {@link RunSummary}; resumable from a serialised
 * {@link RunSummaryState}, so a job can apply records one at a time across restarts
 * ({@code fold = RunSummaryFold.fromState(state).apply(entry); state = fold.state()}). Pure, not thread-safe.
 */
public final class RunSummaryFold {

    private final RunSummaryStats stats;

    public RunSummaryFold() {
        this.stats = new RunSummaryStats();
    }

    private RunSummaryFold(RunSummaryStats stats) {
        this.stats = stats;
    }

    /** Continues a fold from its saved state. */
    public static RunSummaryFold fromState(RunSummaryState state) {
        if (state.version() > RunSummaryState.VERSION) {
            throw new IllegalArgumentException(
                    "run summary state version " + state.version() + " is newer than " + RunSummaryState.VERSION);
        }
        return new RunSummaryFold(RunSummaryStats.restore(state));
    }

    public RunSummaryFold apply(RunLogEntry entry) {
        RunSummaryStats s = stats;
        if (s.runId == null) {
            s.runId = entry.runId();
        }
        if (s.firstRecordAt == null) {
            s.firstRecordAt = entry.receivedAt();
        }
        Verdict verdict = LogOrder.accept(s.sequencer, entry);
        switch (entry) {
            case RunLogEntry.ChunkEntry chunk -> onChunk(chunk, verdict);
            case RunLogEntry.LifecycleEntry lifecycle -> onLifecycle(lifecycle);
            case RunLogEntry.UnreadableEntry unreadable -> s.unreadableRecordCount++;
        }
        return this;
    }

    /** The fold after one more of the reader's events (gaps and ends change nothing: the fold finds its own). */
    public RunSummaryFold apply(ReplayEvent event) {
        RunLogEntry entry = RunLogEntries.of(event);
        return entry == null ? this : apply(entry);
    }

    public RunSummaryFold applyAll(Iterable<? extends RunLogEntry> entries) {
        entries.forEach(this::apply);
        return this;
    }

    private void onChunk(RunLogEntry.ChunkEntry entry, Verdict verdict) {
        RunSummaryStats s = stats;
        s.remember(entry.agentId(), entry.conversationId());
        if (verdict == Verdict.DUPLICATE) {
            s.duplicateCount++;
            return;
        }
        RunSequencer.MissingFrames missing = s.sequencer.missingFrames();
        if (missing != null) {
            s.gapCount++;
            s.missingPositions += missing.missing();
        }
        s.chunkCount++;
        s.byteCount += entry.sizeBytes();
        Instant at = entry.receivedAt();
        if (at != null) {
            if (s.lastChunkAt != null) {
                long micros = Math.max(0, Duration.between(s.lastChunkAt, at).toNanos() / 1000);
                s.gaps.record(micros);
                s.maxGapMicros = Math.max(s.maxGapMicros, micros);
            }
            s.lastChunkAt = at;
        }
        if (verdict == Verdict.KEEPALIVE) {
            return;
        }
        JsonNode json = entry.chunk().json();
        String type = entry.chunk().messageType();
        if (Content.isModelOutput(type)) {
            if (s.firstContentAt == null) {
                s.firstContentAt = at;
            }
            String stepId = Js.truthyString(json, "step_id");
            if (stepId != null) {
                s.stepIds.add(stepId);
            }
        }
        switch (type == null ? "" : type) {
            case "tool_call_message", "approval_request_message" -> ToolCallTally.collect(json, s.toolCallNames);
            case "tool_return_message" -> s.toolErrorCount += ToolCallTally.errors(json);
            case "stop_reason" -> s.stopReason = Js.string(json, "stop_reason");
            case "usage_statistics" -> s.usage = (s.usage == null ? TokenUsage.NONE : s.usage).plus(json);
            case "error_message" -> s.errorType = Js.string(json, "error_type");
            case "retry_message" -> s.retryCount++;
            default -> {
                if (type == null && json.has("error")) {
                    s.errorType = Js.truthyString(json, "code") != null ? Js.string(json, "code") : "error";
                }
            }
        }
    }

    private void onLifecycle(RunLogEntry.LifecycleEntry entry) {
        RunSummaryStats s = stats;
        s.remember(entry.agentId(), entry.conversationId());
        switch (entry.event()) {
            case LifecycleEvent.RunAttached attached -> {
                if (s.attachedAt == null) {
                    s.attachedAt = entry.receivedAt();
                }
            }
            case LifecycleEvent.RunResumed resumed -> s.resumeCount++;
            case LifecycleEvent.RunGap gap when !s.sequencer.recordedGapTaken() -> {
                // a repeat of a gap already counted (a restarted recorder found it again)
            }
            case LifecycleEvent.RunGap gap -> {
                RunSequencer.MissingFrames missing = s.sequencer.missingFrames();
                long before = missing == null ? 0 : missing.missing();
                s.gapCount += before > 0 ? 2 : 1;
                s.missingPositions += before + Math.max(0, gap.missing());
            }
            case LifecycleEvent.RunFinished finished -> {
                s.finish(entry.type(), entry.receivedAt());
                s.finishedStatus = finished.status();
                s.finishedStopReason = finished.stopReason();
            }
            case LifecycleEvent.RunRefused refused -> s.finish(entry.type(), entry.receivedAt());
            case LifecycleEvent.RunAbandoned abandoned -> s.finish(entry.type(), entry.receivedAt());
            case LifecycleEvent.ChunkRejected rejected -> s.rejectedChunkCount++;
            case LifecycleEvent.ConnectionError error -> {
                // one connection was cut by the server, not the run; the run.resumed record that follows counts it
            }
        }
    }

    public RunSummary summary() {
        return stats.summary();
    }

    public RunSummaryState state() {
        return stats.state();
    }
}
