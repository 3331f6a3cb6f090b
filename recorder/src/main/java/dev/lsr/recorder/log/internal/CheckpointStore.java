package dev.lsr.recorder.log.internal;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.RunState;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** The committed checkpoint of every known run of the owned partitions: restored at start, updated after each commit. */
final class CheckpointStore {

    private final Map<String, Checkpoint> committed = new ConcurrentHashMap<>();

    void putAll(Collection<Checkpoint> checkpoints) {
        checkpoints.forEach(c -> committed.put(c.runId(), c));
    }

    Checkpoint get(String runId) {
        return committed.get(runId);
    }

    Optional<Checkpoint> find(String runId) {
        return Optional.ofNullable(committed.get(runId));
    }

    Map<String, Checkpoint> active() {
        return committed.values().stream()
                .filter(c -> c.state() == RunState.ACTIVE)
                .collect(Collectors.toUnmodifiableMap(Checkpoint::runId, c -> c));
    }
}
