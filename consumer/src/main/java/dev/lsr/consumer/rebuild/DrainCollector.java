package dev.lsr.consumer.rebuild;

import dev.lsr.consumer.reader.ReplayListener;
import dev.lsr.consumer.reader.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups the records of a file replay into drains: the part of one run read from one file is one
 * drain; drains are ordered as their first records were read (files in order, then lines).
 */
public final class DrainCollector implements ReplayListener {

    private record DrainKey(String source, String runId) {}

    private final Map<DrainKey, List<RunRecord>> drains = new LinkedHashMap<>();

    @Override
    public void onRecord(RunRecord record) {
        drains.computeIfAbsent(new DrainKey(record.location().source(), record.runId()), k -> new ArrayList<>())
                .add(record); // with its parsed tree: the buffers read it, no second parse
    }

    public List<List<RunRecord>> drains() {
        return List.copyOf(drains.values());
    }
}
