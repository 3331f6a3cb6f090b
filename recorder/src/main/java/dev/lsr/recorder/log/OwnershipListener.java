package dev.lsr.recorder.log;

import dev.lsr.chunklog.Checkpoint;
import java.util.Collection;
import java.util.Set;

/**
 * What a run log tells its recorder when its partitions change: in a fleet ({@link RunLogConfig#groupId}) as the
 * group assigns and revokes them, and (in a fleet and outside one) when a partition whose producer could not go on is
 * given up and taken again. Called on the log's membership thread (outside a fleet: its retake thread), one call at a
 * time, in the order of the events.
 */
public interface OwnershipListener {

    /**
     * The log owns {@code partitions} now: their producers are initialised (older owners fenced) and their
     * checkpoints restored. Continue {@code activeRuns} (those partitions' runs the log holds as active) from
     * their committed positions.
     */
    void assigned(Set<Integer> partitions, Collection<Checkpoint> activeRuns);

    /**
     * The log is about to give up {@code partitions} (revoked by the group, or lost: fenced, or a producer
     * that cannot go on). Stop the runs of those partitions before returning: the log then commits what they
     * appended and closes the producers. Appends of their runs after that throw {@link PartitionLostException}
     * (outside a fleet {@link PartitionStoppedException}, until the partition is taken again).
     */
    void revoking(Set<Integer> partitions);

    /**
     * A run was offered to the fleet through the intake topic, and its partition is one the log owns
     * ({@code mode}: how the offering member found it). Outside a fleet: a run whose records were dropped
     * uncommitted when its partition was given up, which the take that just happened did not continue (it may have
     * no checkpoint); record it again.
     */
    void offered(String runId, String mode);

    /** Does nothing. */
    OwnershipListener NONE = new OwnershipListener() {
        @Override
        public void assigned(Set<Integer> partitions, Collection<Checkpoint> activeRuns) {}

        @Override
        public void revoking(Set<Integer> partitions) {}

        @Override
        public void offered(String runId, String mode) {}
    };
}
