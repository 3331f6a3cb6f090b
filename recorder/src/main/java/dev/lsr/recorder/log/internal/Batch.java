package dev.lsr.recorder.log.internal;

import dev.lsr.chunklog.Checkpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The records of one transaction, the checkpoints committed with them and the tombstones of ended runs' checkpoints
 * ({@link Tombstones}; a batch may hold tombstones alone). Built once and sent again as is after an abort, so a retry
 * neither loses nor duplicates anything. Only an oversize replacement changes it, keeping every position.
 */
final class Batch {

    private final List<Pending> items;
    private final Map<String, Checkpoint> checkpoints;
    private final List<Checkpoint> tombstones;
    private final long reservedBytes;

    Batch(List<Pending> items, Map<String, Checkpoint> checkpoints) {
        this(items, checkpoints, List.of());
    }

    /** @param tombstones the checkpoints whose runs get a tombstone in this transaction (none of the batch's runs) */
    Batch(List<Pending> items, Map<String, Checkpoint> checkpoints, List<Checkpoint> tombstones) {
        this.items = new ArrayList<>(items);
        this.checkpoints = Map.copyOf(checkpoints);
        this.tombstones = List.copyOf(tombstones);
        this.reservedBytes = items.stream().mapToLong(Pending::sizeBytes).sum();
    }

    List<Checkpoint> tombstones() {
        return tombstones;
    }

    List<Pending> items() {
        return List.copyOf(items);
    }

    int size() {
        return items.size();
    }

    Pending get(int index) {
        return items.get(index);
    }

    void replace(int index, Pending replacement) {
        items.set(index, replacement);
    }

    Map<String, Checkpoint> checkpoints() {
        return checkpoints;
    }

    /** The bytes this batch holds of the pending budget (its size when appended). */
    long reservedBytes() {
        return reservedBytes;
    }

    long bytes() {
        return items.stream().mapToLong(Pending::sizeBytes).sum();
    }

    Instant oldestAppendedAt() {
        return items.getFirst().appendedAt();
    }
}
