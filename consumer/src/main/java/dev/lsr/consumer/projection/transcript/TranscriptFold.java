package dev.lsr.consumer.projection.transcript;

import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.RunSequencer;
import dev.lsr.chunklog.RunSequencer.Verdict;
import dev.lsr.consumer.projection.RunLogEntry;
import dev.lsr.consumer.projection.TokenUsage;
import dev.lsr.consumer.projection.internal.Content;
import dev.lsr.consumer.projection.internal.Js;
import dev.lsr.consumer.projection.internal.LogOrder;
import dev.lsr.consumer.projection.internal.RunStatusRules;
import dev.lsr.consumer.projection.transcript.internal.MessageAssembler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds the log entries of one run, in log order, into its {@link Transcript}. Repeats, keepalives and
 * gaps are chunk-log's {@link RunSequencer}'s: duplicated positions are skipped (and listed), keepalive
 * pings ignored, gaps listed. Pure: no I/O, no clock. Not thread-safe.
 */
public final class TranscriptFold {

    private final MessageAssembler messages = new MessageAssembler();
    private final RunSequencer sequencer = new RunSequencer();
    private final List<String> stopReasons = new ArrayList<>();
    private final List<Transcript.Resume> resumes = new ArrayList<>();
    private final List<Transcript.Gap> gaps = new ArrayList<>();
    private final List<String> duplicates = new ArrayList<>();
    private String runId;
    private String agentId;
    private String conversationId;
    private TokenUsage usage;
    private Instant attachedAt;
    private Instant firstContentAt;
    private Instant lastChunkAt;
    private Instant finishedAt;
    private RecordType terminal;
    private String finishedStatus;
    private String finishedStopReason;
    private int rejectedChunks;
    private int unreadableRecords;

    public TranscriptFold apply(RunLogEntry entry) {
        if (runId == null) {
            runId = entry.runId();
        }
        Verdict verdict = LogOrder.accept(sequencer, entry);
        switch (entry) {
            case RunLogEntry.ChunkEntry chunk -> onChunk(chunk, verdict);
            case RunLogEntry.LifecycleEntry lifecycle -> onLifecycle(lifecycle);
            case RunLogEntry.UnreadableEntry unreadable -> unreadableRecords++;
        }
        return this;
    }

    public TranscriptFold applyAll(Iterable<? extends RunLogEntry> entries) {
        entries.forEach(this::apply);
        return this;
    }

    private void onChunk(RunLogEntry.ChunkEntry entry, Verdict verdict) {
        remember(entry.agentId(), entry.conversationId());
        if (runId == null) {
            runId = entry.chunk().runId();
        }
        if (verdict == Verdict.DUPLICATE) {
            duplicates.add(entry.position().toString());
            return;
        }
        RunSequencer.MissingFrames missing = sequencer.missingFrames();
        if (missing != null) {
            gaps.add(new Transcript.Gap(
                    missing.after().toString(),
                    missing.missing(),
                    entry.position().toString()));
        }
        if (entry.receivedAt() != null) {
            lastChunkAt = entry.receivedAt();
        }
        if (verdict == Verdict.KEEPALIVE) {
            return;
        }
        String type = entry.chunk().messageType();
        if (firstContentAt == null && Content.isModelOutput(type)) {
            firstContentAt = entry.receivedAt();
        }
        if ("stop_reason".equals(type)) {
            stopReasons.add(Js.string(entry.chunk().json(), "stop_reason"));
        } else if ("usage_statistics".equals(type)) {
            usage = (usage == null ? TokenUsage.NONE : usage).plus(entry.chunk().json());
        }
        messages.accept(entry.chunk(), entry.position().toString(), entry.receivedAt());
    }

    private void onLifecycle(RunLogEntry.LifecycleEntry entry) {
        remember(entry.agentId(), entry.conversationId());
        switch (entry.event()) {
            case LifecycleEvent.RunAttached attached -> {
                if (attachedAt == null) {
                    attachedAt = entry.receivedAt();
                }
            }
            case LifecycleEvent.RunResumed resumed ->
                resumes.add(new Transcript.Resume(
                        resumed.attempt(), resumed.startingAfter(), resumed.cause(), entry.receivedAt()));
            case LifecycleEvent.RunGap gap when !sequencer.recordedGapTaken() -> {
                // a repeat of a gap already listed (a restarted recorder found it again)
            }
            case LifecycleEvent.RunGap gap -> {
                RunSequencer.MissingFrames before = sequencer.missingFrames();
                if (before != null) {
                    gaps.add(new Transcript.Gap(
                            entry.position().toString(), before.missing(), String.valueOf(gap.from())));
                }
                gaps.add(new Transcript.Gap(
                        entry.position().toString(),
                        gap.missing(),
                        gap.to() == null ? null : String.valueOf(gap.to() + 1),
                        gap.cause()));
                addGapMessage(entry, gap.from(), gap.to(), gap.cause());
            }
            case LifecycleEvent.RunFinished finished -> {
                finish(entry);
                finishedStatus = finished.status();
                finishedStopReason = finished.stopReason();
            }
            case LifecycleEvent.RunRefused refused -> finish(entry);
            case LifecycleEvent.RunAbandoned abandoned -> finish(entry);
            case LifecycleEvent.ConnectionError error -> {
                // one connection was cut by the server; the run.resumed record that follows counts it
            }
            case LifecycleEvent.ChunkRejected rejected -> {
                rejectedChunks++;
                messages.addMessage(new TranscriptMessage.Error(
                        new MessageOrigin(
                                null,
                                null,
                                null,
                                entry.position().toString(),
                                entry.position().toString(),
                                entry.receivedAt()),
                        "chunk_rejected:" + rejected.reason(),
                        rejected.detail(),
                        rejected.prefix()));
            }
        }
    }

    /** A recorded gap among the messages, in its place (gaps the fold finds itself are listed in {@code gaps} only). */
    private void addGapMessage(RunLogEntry entry, long from, Long to, String cause) {
        String position = entry.position().toString();
        messages.addMessage(new TranscriptMessage.Gap(
                new MessageOrigin(null, null, null, position, position, entry.receivedAt()), from, to, cause));
    }

    private void finish(RunLogEntry.LifecycleEntry entry) {
        terminal = entry.type();
        finishedAt = entry.receivedAt();
    }

    private void remember(String agent, String conversation) {
        if (agent != null) {
            agentId = agent;
        }
        if (conversation != null) {
            conversationId = conversation;
        }
    }

    public Transcript transcript() {
        String stopReason = !stopReasons.isEmpty() ? stopReasons.getLast() : finishedStopReason;
        return new Transcript(
                runId,
                agentId,
                conversationId,
                RunStatusRules.status(terminal, finishedStatus, stopReason),
                stopReason,
                stopReasons,
                usage,
                new Transcript.Timing(attachedAt, firstContentAt, lastChunkAt, finishedAt),
                resumes,
                gaps,
                duplicates,
                rejectedChunks,
                unreadableRecords,
                messages.messages());
    }
}
