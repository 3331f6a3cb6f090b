package dev.lsr.consumer.projection.summary;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RunSequencer;
import dev.lsr.chunklog.RunSequencer.Verdict;
import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.TokenUsage;
import dev.lsr.consumer.projection.internal.Content;
import dev.lsr.consumer.projection.internal.Js;
import dev.lsr.consumer.projection.internal.LogOrder;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.reader.RunRecord;
import java.time.Duration;
import java.time.Instant;

/**
 * Folds one run's events ({@link ReplayEvent}), in log order, into its {@link RunSummary}; resumable from a serialised
 * {@link RunSummaryState}, so a job can apply records one at a time across restarts
 * ({@code fold = RunSummaryFold.fromState(state).apply(event); state = fold.state()}). Pure, not thread-safe.
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

    /**
     * The fold after one more of the reader's events of the run: chunks and recorder records, repeats
     * included (judged here, with the order the saved state carries), and skipped records; gaps and
     * ends change nothing (the fold finds its own).
     */
    public RunSummaryFold apply(ReplayEvent event) {
        switch (event) {
            case ReplayEvent.Chunk chunk -> {
                RunRecord record = chunk.record();
                started(record.runId(), record.receivedAt());
                Chunk read = LogOrder.chunkOrNull(record);
                if (read == null) {
                    stats.unreadableRecordCount++;
                } else {
                    onChunk(record, read, LogOrder.acceptChunk(stats.sequencer, record, read));
                }
            }
            case ReplayEvent.Lifecycle lifecycle -> {
                RunRecord record = lifecycle.record();
                started(record.runId(), record.receivedAt());
                LogOrder.acceptLifecycle(stats.sequencer, record);
                onLifecycle(record);
            }
            case ReplayEvent.Unreadable unreadable -> {
                started(unreadable.runId(), null);
                stats.unreadableRecordCount++;
            }
            case ReplayEvent.Gap gap -> {}
            case ReplayEvent.End end -> {}
        }
        return this;
    }

    public RunSummaryFold applyAll(Iterable<? extends ReplayEvent> events) {
        events.forEach(this::apply);
        return this;
    }

    private void started(String runId, Instant receivedAt) {
        if (stats.runId == null) {
            stats.runId = runId;
        }
        if (stats.firstRecordAt == null) {
            stats.firstRecordAt = receivedAt;
        }
    }

    private void onChunk(RunRecord record, Chunk chunk, Verdict verdict) {
        RunSummaryStats s = stats;
        s.remember(record.envelope().agentId(), record.envelope().conversationId());
        if (verdict == Verdict.DUPLICATE) {
            s.duplicateCount++;
            return;
        }
        countGapBefore(s);
        s.chunkCount++;
        s.byteCount += record.record().value().length;
        Instant at = record.receivedAt();
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
        JsonNode json = chunk.json();
        String type = chunk.messageType();
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

    /** Counts the frames the sequencer found missing right before the record it just took (a chunk, a rejection). */
    private static void countGapBefore(RunSummaryStats s) {
        RunSequencer.MissingFrames missing = s.sequencer.missingFrames();
        if (missing != null) {
            s.gapCount++;
            s.missingPositions += missing.missing();
        }
    }

    private void onLifecycle(RunRecord record) {
        RunSummaryStats s = stats;
        s.remember(record.envelope().agentId(), record.envelope().conversationId());
        switch (record.lifecycle()) {
            case LifecycleEvent.RunAttached attached -> {
                if (s.attachedAt == null) {
                    s.attachedAt = record.receivedAt();
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
                s.finish(record.type(), record.receivedAt());
                s.finishedStatus = finished.status();
                s.finishedStopReason = finished.stopReason();
            }
            case LifecycleEvent.RunRefused refused -> s.finish(record.type(), record.receivedAt());
            case LifecycleEvent.RunAbandoned abandoned -> s.finish(record.type(), record.receivedAt());
            case LifecycleEvent.ChunkRejected rejected -> {
                s.rejectedChunkCount++;
                countGapBefore(s);
            }
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
