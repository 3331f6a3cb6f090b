package dev.lsr.consumer.testing;

import dev.lsr.consumer.reader.ReadProblem;
import dev.lsr.consumer.reader.ReplayEvent;
import dev.lsr.consumer.reader.ReplayListener;
import dev.lsr.consumer.reader.RunEnd;
import dev.lsr.consumer.reader.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps everything a replay hands on, for assertions. */
public final class RecordingListener implements ReplayListener {

    public final List<ReplayEvent> events = new ArrayList<>();
    public final List<RunRecord> records = new ArrayList<>();
    public final List<ReadProblem> problems = new ArrayList<>();
    public final Map<String, RunEnd> ends = new LinkedHashMap<>();

    /** Every event; the delivered records, the problems (gaps, skipped records, truncations) and the ends apart. */
    @Override
    public void onEvent(ReplayEvent event) {
        events.add(event);
        switch (event) {
            case ReplayEvent.Chunk chunk -> deliver(chunk);
            case ReplayEvent.Lifecycle lifecycle -> deliver(lifecycle);
            case ReplayEvent.Gap gap -> problems.add(gap.problem());
            case ReplayEvent.Unreadable unreadable -> problems.add(unreadable.problem());
            case ReplayEvent.End end -> {
                if (end.truncation() != null) {
                    problems.add(end.truncation());
                }
                if (ends.put(end.runId(), end.end()) != null) {
                    throw new AssertionError("run ended twice: " + end.runId());
                }
            }
        }
    }

    private void deliver(ReplayEvent event) {
        if (event.delivered() != null) {
            records.add(event.delivered());
        }
    }

    public List<RunRecord> recordsOf(String runId) {
        return records.stream().filter(r -> r.runId().equals(runId)).toList();
    }

    public List<String> chunkTextsOf(String runId) {
        return recordsOf(runId).stream()
                .filter(RunRecord::isChunk)
                .map(RunRecord::valueText)
                .toList();
    }

    public List<ReadProblem> problemsOf(ReadProblem.Kind kind) {
        return problems.stream().filter(p -> p.kind() == kind).toList();
    }
}
