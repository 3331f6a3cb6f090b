package dev.lsr.consumer.projection.transcript;

import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.RunSequencer;
import dev.lsr.chunklog.RunSequencer.Verdict;
import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.RunStatus;
import dev.lsr.consumer.projection.TokenUsage;
import dev.lsr.consumer.projection.internal.Content;
import dev.lsr.consumer.projection.internal.Js;
import dev.lsr.consumer.projection.internal.LogOrder;
import dev.lsr.consumer.projection.transcript.internal.MessageAssembler;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.reader.RunRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds the events ({@link ReplayEvent}) of one run, in log order, into its {@link Transcript}. Repeats, keepalives and
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

    /**
     * The fold after one more of the reader's events of the run: chunks and recorder records, repeats
     * included (judged and listed here), and skipped records; the reader's gaps and ends change
     * nothing (the fold lists the gaps its sequencer finds, with their positions).
     */
    public TranscriptFold apply(ReplayEvent event) {
        switch (event) {
            case ReplayEvent.Chunk chunk -> {
                RunRecord record = chunk.record();
                started(record.runId());
                Chunk read = LogOrder.chunkOrNull(record);
                if (read == null) {
                    unreadableRecords++;
                } else {
                    onChunk(record, read, LogOrder.acceptChunk(sequencer, record, read));
                }
            }
            case ReplayEvent.Lifecycle lifecycle -> {
                started(lifecycle.runId());
                LogOrder.acceptLifecycle(sequencer, lifecycle.record());
                onLifecycle(lifecycle.record());
            }
            case ReplayEvent.Unreadable unreadable -> {
                started(unreadable.runId());
                unreadableRecords++;
            }
            case ReplayEvent.Gap gap -> {}
            case ReplayEvent.End end -> {}
        }
        return this;
    }

    public TranscriptFold applyAll(Iterable<? extends ReplayEvent> events) {
        events.forEach(this::apply);
        return this;
    }

    private void started(String run) {
        if (runId == null) {
            runId = run;
        }
    }

    private void onChunk(RunRecord record, Chunk chunk, Verdict verdict) {
        remember(record.envelope().agentId(), record.envelope().conversationId());
        if (runId == null) {
            runId = chunk.runId();
        }
        if (verdict == Verdict.DUPLICATE) {
            duplicates.add(record.position().toString());
            return;
        }
        listGapBefore(record);
        if (record.receivedAt() != null) {
            lastChunkAt = record.receivedAt();
        }
        if (verdict == Verdict.KEEPALIVE) {
            return;
        }
        String type = chunk.messageType();
        if (firstContentAt == null && Content.isModelOutput(type)) {
            firstContentAt = record.receivedAt();
        }
        if ("stop_reason".equals(type)) {
            stopReasons.add(Js.string(chunk.json(), "stop_reason"));
        } else if ("usage_statistics".equals(type)) {
            usage = (usage == null ? TokenUsage.NONE : usage).plus(chunk.json());
        }
        messages.accept(chunk, record.position().toString(), record.receivedAt());
    }

    private void onLifecycle(RunRecord record) {
        remember(record.envelope().agentId(), record.envelope().conversationId());
        switch (record.lifecycle()) {
            case LifecycleEvent.RunAttached attached -> {
                if (attachedAt == null) {
                    attachedAt = record.receivedAt();
                }
            }
            case LifecycleEvent.RunResumed resumed ->
                resumes.add(new Transcript.Resume(
                        resumed.attempt(), resumed.startingAfter(), resumed.cause(), record.receivedAt()));
            case LifecycleEvent.RunGap gap when !sequencer.recordedGapTaken() -> {
                // a repeat of a gap already listed (a restarted recorder found it again)
            }
            case LifecycleEvent.RunGap gap -> {
                RunSequencer.MissingFrames before = sequencer.missingFrames();
                if (before != null) {
                    gaps.add(new Transcript.Gap(
                            record.position().toString(), before.missing(), String.valueOf(gap.from())));
                }
                gaps.add(new Transcript.Gap(
                        record.position().toString(),
                        gap.missing(),
                        gap.to() == null ? null : String.valueOf(gap.to() + 1),
                        gap.cause()));
                addGapMessage(record, gap.from(), gap.to(), gap.cause());
            }
            case LifecycleEvent.RunFinished finished -> {
                finish(record);
                finishedStatus = finished.status();
                finishedStopReason = finished.stopReason();
            }
            case LifecycleEvent.RunRefused refused -> finish(record);
            case LifecycleEvent.RunAbandoned abandoned -> finish(record);
            case LifecycleEvent.ConnectionError error -> {
                // one connection was cut by the server; the run.resumed record that follows counts it
            }
            case LifecycleEvent.ChunkRejected rejected -> {
                rejectedChunks++;
                listGapBefore(record);
                messages.addMessage(new TranscriptMessage.Error(
                        new MessageOrigin(
                                null,
                                null,
                                null,
                                record.position().toString(),
                                record.position().toString(),
                                record.receivedAt()),
                        "chunk_rejected:" + rejected.reason(),
                        rejected.detail(),
                        rejected.prefix()));
            }
        }
    }

    /** Lists the seqs the sequencer found missing right before {@code record} (a chunk or a rejected frame), if any. */
    private void listGapBefore(RunRecord record) {
        RunSequencer.MissingFrames missing = sequencer.missingFrames();
        if (missing != null) {
            gaps.add(new Transcript.Gap(
                    missing.after().toString(),
                    missing.missing(),
                    record.position().toString()));
        }
    }

    /** A recorded gap among the messages, in its place (gaps the fold finds itself are listed in {@code gaps} only). */
    private void addGapMessage(RunRecord record, long from, Long to, String cause) {
        String position = record.position().toString();
        messages.addMessage(new TranscriptMessage.Gap(
                new MessageOrigin(null, null, null, position, position, record.receivedAt()), from, to, cause));
    }

    private void finish(RunRecord record) {
        terminal = record.type();
        finishedAt = record.receivedAt();
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
                RunStatus.of(terminal, finishedStatus, stopReason),
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
