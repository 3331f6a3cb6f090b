package dev.lsr.consumer.projection.summary;

import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.RunSequencer;
import dev.lsr.consumer.projection.RunStatus;
import dev.lsr.consumer.projection.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** The mutable counters of a {@link RunSummaryFold}, convertible to and from {@link RunSummaryState}. */
final class RunSummaryStats {

    String runId;
    String agentId;
    String conversationId;
    RunSequencer sequencer = new RunSequencer();
    Instant attachedAt;
    Instant firstRecordAt;
    Instant firstContentAt;
    Instant lastChunkAt;
    Instant finishedAt;
    RecordType terminal;
    String finishedStatus;
    String finishedStopReason;
    String stopReason;
    String errorType;
    long chunkCount;
    long byteCount;
    GapHistogram gaps = new GapHistogram();
    long maxGapMicros;
    Set<String> stepIds = new LinkedHashSet<>();
    Map<String, String> toolCallNames = new LinkedHashMap<>();
    long toolErrorCount;
    TokenUsage usage;
    int resumeCount;
    long gapCount;
    long missingPositions;
    long duplicateCount;
    long rejectedChunkCount;
    long unreadableRecordCount;
    long retryCount;

    void remember(String agent, String conversation) {
        if (agent != null) {
            agentId = agent;
        }
        if (conversation != null) {
            conversationId = conversation;
        }
    }

    void finish(RecordType type, Instant at) {
        terminal = type;
        finishedAt = at;
    }

    RunSummary summary() {
        String stop = stopReason != null ? stopReason : finishedStopReason;
        Instant startedAt = attachedAt != null ? attachedAt : firstRecordAt;
        TokenUsage u = usage != null ? usage : TokenUsage.NONE;
        long steps = usage != null ? usage.stepCount() : stepIds.size();
        return new RunSummary(
                runId,
                agentId,
                conversationId,
                RunStatus.of(terminal, finishedStatus, stop),
                stop,
                errorType,
                startedAt,
                firstContentAt,
                finishedAt,
                lastChunkAt,
                millisBetween(startedAt, firstContentAt),
                millisBetween(startedAt, finishedAt),
                chunkCount,
                byteCount,
                gaps.percentileMillis(50),
                gaps.percentileMillis(99),
                gaps.isEmpty() ? null : maxGapMicros / 1000.0,
                steps,
                toolCallNames.size(),
                ToolCallTally.countByName(toolCallNames),
                toolErrorCount,
                u.inputTokens(),
                u.outputTokens(),
                u.totalTokens(),
                u.cachedInputTokens(),
                u.cacheWriteTokens(),
                u.reasoningTokens(),
                resumeCount,
                gapCount,
                missingPositions,
                duplicateCount,
                rejectedChunkCount,
                unreadableRecordCount,
                retryCount);
    }

    private static Long millisBetween(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to).toMillis();
    }

    RunSummaryState state() {
        return new RunSummaryState(
                RunSummaryState.VERSION,
                runId,
                agentId,
                conversationId,
                RunSummaryState.Positions.of(sequencer.state()),
                attachedAt,
                firstRecordAt,
                firstContentAt,
                lastChunkAt,
                finishedAt,
                terminal,
                finishedStatus,
                finishedStopReason,
                stopReason,
                errorType,
                chunkCount,
                byteCount,
                gaps.encode(),
                maxGapMicros,
                new ArrayList<>(stepIds),
                new LinkedHashMap<>(toolCallNames),
                toolErrorCount,
                usage,
                resumeCount,
                gapCount,
                missingPositions,
                duplicateCount,
                rejectedChunkCount,
                unreadableRecordCount,
                retryCount);
    }

    static RunSummaryStats restore(RunSummaryState state) {
        RunSummaryStats s = new RunSummaryStats();
        s.runId = state.runId();
        s.agentId = state.agentId();
        s.conversationId = state.conversationId();
        s.sequencer = new RunSequencer(
                (state.positions() != null ? state.positions() : RunSummaryState.Positions.EMPTY).toSequencerState());
        s.attachedAt = state.attachedAt();
        s.firstRecordAt = state.firstRecordAt();
        s.firstContentAt = state.firstContentAt();
        s.lastChunkAt = state.lastChunkAt();
        s.finishedAt = state.finishedAt();
        s.terminal = state.terminal();
        s.finishedStatus = state.finishedStatus();
        s.finishedStopReason = state.finishedStopReason();
        s.stopReason = state.stopReason();
        s.errorType = state.errorType();
        s.chunkCount = state.chunkCount();
        s.byteCount = state.byteCount();
        s.gaps = GapHistogram.decode(state.gapHistogram());
        s.maxGapMicros = state.maxGapMicros();
        if (state.stepIds() != null) {
            s.stepIds.addAll(state.stepIds());
        }
        if (state.toolCallNames() != null) {
            s.toolCallNames.putAll(state.toolCallNames());
        }
        s.toolErrorCount = state.toolErrorCount();
        s.usage = state.usage();
        s.resumeCount = state.resumeCount();
        s.gapCount = state.gapCount();
        s.missingPositions = state.missingPositions();
        s.duplicateCount = state.duplicateCount();
        s.rejectedChunkCount = state.rejectedChunkCount();
        s.unreadableRecordCount = state.unreadableRecordCount();
        s.retryCount = state.retryCount();
        return s;
    }
}
