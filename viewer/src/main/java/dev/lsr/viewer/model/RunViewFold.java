package dev.lsr.viewer.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.MalformedChunkException;
import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.summary.RunSummary;
import dev.lsr.consumer.projection.summary.RunSummaryFold;
import dev.lsr.consumer.projection.transcript.Transcript;
import dev.lsr.consumer.projection.transcript.TranscriptFold;
import dev.lsr.consumer.projection.transcript.TranscriptMessage;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.reader.ReplayListener;
import dev.lsr.consumer.reader.RunEnd;
import dev.lsr.consumer.reader.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds one run's reader events, in log order, into its {@link RunView}: the consumer's transcript and
 * summary folds for the messages and the figures, and beside them what only the viewer needs: when
 * each step's output came, where gaps and connection cuts stood in time, when each chunk arrived.
 * Pure: no I/O, no clock. Not thread-safe.
 */
public final class RunViewFold implements ReplayListener {

    /** Message types whose chunks are a step's model output (what a step lane spans). */
    private static final Map<String, String> STEP_OUTPUT = Map.of(
            "reasoning_message", "reasoning",
            "hidden_reasoning_message", "hidden reasoning",
            "assistant_message", "text",
            "tool_call_message", "tool call",
            "approval_request_message", "approval request");

    /** About this many cadence bins over a run, each at least a second (receipt times may be in seconds). */
    private static final int CADENCE_BINS = 60;

    private static final long MIN_BIN_MS = 1000;

    private final TranscriptFold transcript = new TranscriptFold();
    private final RunSummaryFold summary = new RunSummaryFold();
    private final Map<String, StepSpan> steps = new LinkedHashMap<>();
    private final List<Instant> chunkTimes = new ArrayList<>();
    private final List<TimedNote> gaps = new ArrayList<>();
    private final List<TimedNote> cuts = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> pendingGaps = new ArrayList<>();
    private Instant lastSeen;
    private RunEnd end;

    private static final class StepSpan {
        final Instant first;
        Instant last;
        final Set<String> kinds = new LinkedHashSet<>();

        StepSpan(Instant first) {
            this.first = first;
            this.last = first;
        }
    }

    private record TimedNote(Instant at, String text) {}

    @Override
    public void onEvent(ReplayEvent event) {
        transcript.apply(event);
        summary.apply(event);
        switch (event) {
            case ReplayEvent.Chunk chunk when !chunk.isRepeat() -> onChunk(chunk.record());
            case ReplayEvent.Chunk repeat -> {}
            case ReplayEvent.Lifecycle lifecycle
            when !lifecycle.isRepeat() -> {
                seen(lifecycle.record().receivedAt());
                lifecycle.problem().ifPresent(problem -> problems.add(problem.describe()));
                if (lifecycle.record().lifecycle() instanceof LifecycleEvent.ConnectionError) {
                    cuts.add(new TimedNote(lifecycle.record().receivedAt(), "connection cut by the server"));
                }
            }
            case ReplayEvent.Lifecycle repeat -> {}
            case ReplayEvent.Gap gap -> {
                pendingGaps.add(gap.problem().detail());
                problems.add(gap.problem().describe());
            }
            case ReplayEvent.Unreadable unreadable ->
                problems.add(unreadable.problem().describe());
            case ReplayEvent.End ended -> end = ended.end();
        }
    }

    private void onChunk(RunRecord record) {
        Instant at = record.receivedAt();
        seen(at);
        if (at == null || "ping".equals(record.messageType())) {
            return;
        }
        chunkTimes.add(at);
        String kind = STEP_OUTPUT.get(record.messageType());
        JsonNode stepId = kind == null ? null : stepId(record);
        if (kind != null && stepId != null && stepId.isTextual()) {
            StepSpan step = steps.computeIfAbsent(stepId.textValue(), id -> new StepSpan(at));
            step.last = at;
            step.kinds.add(kind);
        }
    }

    /** The chunk's {@code step_id}, or null (also for a value that is not JSON: the transcript lists it). */
    private static JsonNode stepId(RunRecord record) {
        try {
            return Chunk.of(record).json().get("step_id");
        } catch (MalformedChunkException e) {
            return null;
        }
    }

    /** Gaps are placed at the first record after them, the one the reader reported them before. */
    private void seen(Instant at) {
        if (at == null) {
            return;
        }
        lastSeen = lastSeen == null || at.isAfter(lastSeen) ? at : lastSeen;
        pendingGaps.forEach(text -> gaps.add(new TimedNote(at, text)));
        pendingGaps.clear();
    }

    public RunView view() {
        RunSummary figures = summary.summary();
        Transcript messages = transcript.transcript();
        boolean ended = end != null && !end.isTruncated() || !RunRow.RUNNING.equals(figures.status());
        Timeline timeline = timeline(figures, messages);
        // a run without its end is shown as being recorded (the page says the recorder may also have
        // stopped), not listed as a truncated run among the problems
        return new RunView(figures, messages, timeline, cadence(figures, timeline), !ended, problems);
    }

    private Timeline timeline(RunSummary figures, Transcript messages) {
        Instant start = figures.startedAt();
        if (start == null) {
            return Timeline.EMPTY;
        }
        Instant finish = figures.finishedAt() != null ? figures.finishedAt() : lastSeen;
        long duration = Math.max(0, ms(start, finish));
        List<Timeline.Lane> lanes = new ArrayList<>();
        int number = 0;
        for (Map.Entry<String, StepSpan> step : steps.entrySet()) {
            StepSpan span = step.getValue();
            lanes.add(new Timeline.Lane(
                    Timeline.Lane.Kind.STEP,
                    step.getKey(),
                    "step " + ++number,
                    String.join(", ", span.kinds),
                    ms(start, span.first),
                    ms(start, span.last),
                    "ok"));
        }
        lanes.addAll(toolLanes(messages, start, duration));
        List<Timeline.Marker> markers = new ArrayList<>();
        if (figures.timeToFirstContentMs() != null) {
            markers.add(new Timeline.Marker(
                    Timeline.Marker.Kind.FIRST_CONTENT,
                    figures.timeToFirstContentMs(),
                    "first content after " + figures.timeToFirstContentMs() + " ms"));
        }
        for (Transcript.Resume resume : messages.resumes()) {
            if (resume.at() != null) {
                markers.add(new Timeline.Marker(
                        Timeline.Marker.Kind.RESUME,
                        ms(start, resume.at()),
                        "resumed after seq " + resume.startingAfter() + " (" + resume.cause() + ", attempt "
                                + resume.attempt() + ")"));
            }
        }
        gaps.forEach(
                gap -> markers.add(new Timeline.Marker(Timeline.Marker.Kind.GAP, ms(start, gap.at()), gap.text())));
        cuts.forEach(cut ->
                markers.add(new Timeline.Marker(Timeline.Marker.Kind.CONNECTION_CUT, ms(start, cut.at()), cut.text())));
        return new Timeline(start, duration, lanes, markers);
    }

    /** One lane per tool call, from its first chunk to its return (or to the end while it has none). */
    private static List<Timeline.Lane> toolLanes(Transcript messages, Instant start, long duration) {
        Map<String, TranscriptMessage.ToolReturn> returns = new LinkedHashMap<>();
        for (TranscriptMessage message : messages.messages()) {
            if (message instanceof TranscriptMessage.ToolReturn ret && ret.toolCallId() != null) {
                returns.putIfAbsent(ret.toolCallId(), ret);
            }
        }
        List<Timeline.Lane> lanes = new ArrayList<>();
        for (TranscriptMessage message : messages.messages()) {
            if (!(message instanceof TranscriptMessage.ToolCall call)
                    || message.origin().receivedAt() == null) {
                continue;
            }
            long from = ms(start, call.origin().receivedAt());
            TranscriptMessage.ToolReturn ret = returns.get(call.toolCallId());
            String name = call.name() == null ? "tool" : call.name();
            if (ret != null && ret.origin().receivedAt() != null) {
                boolean error = "error".equals(ret.status());
                lanes.add(new Timeline.Lane(
                        Timeline.Lane.Kind.TOOL,
                        call.toolCallId(),
                        name,
                        error ? "returned an error" : "returned",
                        from,
                        Math.max(from, ms(start, ret.origin().receivedAt())),
                        error ? "error" : "ok"));
            } else {
                lanes.add(new Timeline.Lane(
                        Timeline.Lane.Kind.TOOL,
                        call.toolCallId(),
                        name,
                        call.approvalRequested() ? "awaiting approval" : "no return",
                        from,
                        Math.max(from, duration),
                        "pending"));
            }
        }
        return lanes;
    }

    private Cadence cadence(RunSummary figures, Timeline timeline) {
        long binMs = Math.max(MIN_BIN_MS, roundUpToSeconds(timeline.durationMs() / CADENCE_BINS));
        int count = (int) (timeline.durationMs() / binMs) + 1;
        int[] chunks = new int[timeline.start() == null ? 0 : count];
        for (Instant at : chunkTimes) {
            long offset = ms(timeline.start(), at);
            if (offset >= 0 && offset / binMs < chunks.length) {
                chunks[(int) (offset / binMs)]++;
            }
        }
        List<Cadence.Bin> bins = new ArrayList<>();
        for (int i = 0; i < chunks.length; i++) {
            bins.add(new Cadence.Bin(i * binMs, chunks[i]));
        }
        return new Cadence(
                binMs, bins, figures.interChunkGapP50Ms(), figures.interChunkGapP99Ms(), figures.interChunkGapMaxMs());
    }

    private static long roundUpToSeconds(long ms) {
        return (ms + 999) / 1000 * 1000;
    }

    private static long ms(Instant from, Instant to) {
        return to == null ? 0 : Duration.between(from, to).toMillis();
    }
}
