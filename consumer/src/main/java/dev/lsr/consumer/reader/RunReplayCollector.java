package dev.lsr.consumer.reader;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A listener that keeps every delivered record, grouped per run, for commands that need a run's
 * whole log (a rebuild). Holds everything in memory, chunks with the tree the reader parsed them
 * into (so that a fold does not parse them again): use with a filter.
 */
public final class RunReplayCollector implements ReplayListener {

    private final Map<String, List<RunRecord>> records = new LinkedHashMap<>();
    private final Map<String, RunEnd> ends = new LinkedHashMap<>();

    @Override
    public void onEvent(ReplayEvent event) {
        if (event instanceof ReplayEvent.End end) {
            ends.put(end.runId(), end.end());
        } else if (event.delivered() != null) {
            records.computeIfAbsent(event.runId(), id -> new ArrayList<>()).add(event.delivered());
        }
    }

    /** The runs in the order their first records were read. */
    public List<RunReplay> runs() {
        return records.entrySet().stream()
                .map(e -> new RunReplay(e.getKey(), e.getValue(), ends.get(e.getKey())))
                .toList();
    }

    /** The runs by start time (receive time of their first record), then run id. */
    public List<RunReplay> runsByStart() {
        return runs().stream()
                .sorted(Comparator.comparing(RunReplay::start).thenComparing(RunReplay::runId))
                .toList();
    }
}
