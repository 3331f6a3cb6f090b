package dev.lsr.recorder.log.internal;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.RunState;
import dev.lsr.recorder.log.UnreadableCheckpointException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The committed checkpoint of every known run of the owned partitions: restored at start, updated after
 * each commit. A run whose last checkpoint could not be read stays known as unreadable: it is neither
 * new nor active, so nothing records it again from its start.
 */
final class CheckpointStore {

    private final Map<String, Checkpoint> committed = new ConcurrentHashMap<>();
    private final Map<String, String> unreadable = new ConcurrentHashMap<>();

    void putAll(Collection<Checkpoint> checkpoints) {
        checkpoints.forEach(c -> {
            committed.put(c.runId(), c);
            unreadable.remove(c.runId());
        });
    }

    /** Runs whose last checkpoint could not be read, with the reason. */
    void putUnreadable(Map<String, String> reasons) {
        unreadable.putAll(reasons);
    }

    void remove(String runId) {
        committed.remove(runId);
    }

    /** Removes the run's checkpoint if it is still {@code expected} (a tombstone committed for that checkpoint). */
    void remove(String runId, Checkpoint expected) {
        committed.remove(runId, expected);
    }

    /** Every committed checkpoint (a snapshot). */
    java.util.List<Checkpoint> all() {
        return java.util.List.copyOf(committed.values());
    }

    /** Forgets the runs {@code runs} accepts (a fleet member giving their partition up). */
    void forget(java.util.function.Predicate<String> runs) {
        committed.keySet().removeIf(runs);
        unreadable.keySet().removeIf(runs);
    }

    Checkpoint get(String runId) {
        return committed.get(runId);
    }

    /** @throws UnreadableCheckpointException when the run's last checkpoint could not be read */
    Optional<Checkpoint> find(String runId) {
        Checkpoint checkpoint = committed.get(runId);
        if (checkpoint == null) {
            String reason = unreadable.get(runId);
            if (reason != null) {
                throw new UnreadableCheckpointException(runId, reason);
            }
        }
        return Optional.ofNullable(checkpoint);
    }

    Map<String, Checkpoint> active() {
        return committed.values().stream()
                .filter(c -> c.state() == RunState.ACTIVE)
                .collect(Collectors.toUnmodifiableMap(Checkpoint::runId, c -> c));
    }
}
