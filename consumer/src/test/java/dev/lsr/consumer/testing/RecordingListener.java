package dev.lsr.consumer.testing;

import dev.lsr.consumer.reader.ReadProblem;
import dev.lsr.consumer.reader.ReplayListener;
import dev.lsr.consumer.reader.RunEnd;
import dev.lsr.consumer.reader.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps everything a replay hands on, for assertions. */
public final class RecordingListener implements ReplayListener {

    public final List<RunRecord> records = new ArrayList<>();
    public final List<ReadProblem> problems = new ArrayList<>();
    public final Map<String, RunEnd> ends = new LinkedHashMap<>();

    @Override
    public void onRecord(RunRecord record) {
        records.add(record);
    }

    @Override
    public void onProblem(ReadProblem problem) {
        problems.add(problem);
    }

    @Override
    public void onRunEnd(RunEnd end) {
        if (ends.put(end.runId(), end) != null) {
            throw new AssertionError("run ended twice: " + end.runId());
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
