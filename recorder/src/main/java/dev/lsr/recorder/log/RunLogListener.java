package dev.lsr.recorder.log;

import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import java.time.Duration;

/**
 * Metrics hooks of a {@link RunLog}. Every method has a no-op default. Called from the appending
 * threads ({@link #recordAppended}, {@link #recordRejected}) and from the partitions' committer
 * threads (the rest); implementations must be thread-safe and fast. An exception thrown by a hook is
 * logged and ignored. After {@link #failed} no other hook of that partition is called.
 */
public interface RunLogListener {

    /** Does nothing. */
    RunLogListener NONE = new RunLogListener() {};

    /** A record was queued (after oversize replacement) with its estimated serialized size. */
    default void recordAppended(String runId, RecordType type, int sizeBytes) {}

    /** A chunk was too big for Kafka and was replaced by a {@code CHUNK_REJECTED} record. */
    default void recordRejected(String runId, Position position, int sizeBytes, int limitBytes) {}

    /** A transaction committed. */
    default void transactionCommitted(CommitStats stats) {}

    /** A transaction was aborted after a retriable error; its batch will be sent again. */
    default void transactionAborted(int partition, Throwable cause) {}

    /** A partition could not commit and started retrying with backoff (logged once per outage). */
    default void outageStarted(int partition, Throwable cause) {}

    /** A partition committed again after an outage. */
    default void outageEnded(int partition, Duration outage, int failedAttempts) {}

    /** A run's last checkpoint could not be read during restore (the run is left alone), or one had no key. */
    default void checkpointSkipped(String runId, String reason) {}

    /**
     * A partition stopped alone on an error its producer could not recover from (not a fencing); the other
     * partitions keep recording. Called once per partition.
     */
    default void partitionStopped(RunLogFailure failure) {}

    /**
     * In a fleet: a partition reported by {@link #partitionStopped} is no longer stopped here: its member gave it
     * up, to take it again once its producer can go on (or to another member the group assigns it to).
     */
    default void stoppedPartitionReleased(int partition) {}

    /** In a fleet: the group changed this member's partitions; it is assigned {@code owned} of them now. */
    default void rebalanced(int owned) {}

    /**
     * In a fleet: {@code count} partitions were taken (producers fenced their previous owner, checkpoints
     * restored, their active runs handed to the recorder) in {@code took} after the assignment.
     */
    default void partitionsTaken(int count, Duration took) {}

    /** The log stopped: fenced, or no partition left. Called once, for the first failure. */
    default void failed(RunLogFailure failure) {}
}
