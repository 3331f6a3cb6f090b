package dev.lsr.recorder.internal.intake;

import java.util.LinkedHashMap;
import java.util.Map;

/** The ids of the runs whose recording ended lately, so the watcher does not attach them again. Bounded. */
final class EndedRuns {

    private final Map<String, Boolean> ids;

    EndedRuns(int capacity) {
        this.ids = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void add(String runId) {
        ids.put(runId, Boolean.TRUE);
    }

    synchronized void forget(java.util.function.Predicate<String> runIds) {
        ids.keySet().removeIf(runIds);
    }

    synchronized boolean contains(String runId) {
        return ids.containsKey(runId);
    }
}
