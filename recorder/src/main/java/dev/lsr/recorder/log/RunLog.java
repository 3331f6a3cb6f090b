package dev.lsr.recorder.log;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.RunState;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where drained records go: the exactly-once chunk log. Records and the checkpoints of their runs are
 * committed together in Kafka transactions, one transactional producer per owned partition of the
 * chunk topic. Thread-safe: called from one virtual thread per run.
 *
 * <p>Lifecycle: {@link #start()} once, then {@link #append}/{@link #flush()} from any thread, then
 * {@link #close()}. A fencing (another recorder took over) stops the log: every later {@link #append}
 * and {@link #flush()} throws {@link RunLogClosedException}, and {@link #failure()} says why. Any other
 * error a partition's producer cannot recover from (authorization, ...) stops that partition alone
 * ({@link #stoppedPartitions()}) until it is taken again; a producer that lost its state without being fenced is re-initialised. Retriable errors (a broker outage) never surface here: the log retries
 * the same batch and {@link #append} blocks once too much is pending.
 */
public interface RunLog extends AutoCloseable {

    /**
     * Starts: creates or checks the topics, initialises one transactional producer per owned partition
     * (fencing older owners and aborting their open transactions), then restores the checkpoints.
     *
     * @throws RunLogStartException when the topics do not fit or Kafka refuses the producers
     */
    void start();

    /**
     * The committed checkpoints of runs whose state is {@link RunState#ACTIVE}: at start, what was
     * restored from the checkpoint topic (read_committed, up to the end offsets captured at start);
     * later, also what this log committed since.
     */
    Map<String, Checkpoint> activeRuns();

    /**
     * The committed checkpoint of a run, active or finished (so a watcher does not re-attach a finished run).
     *
     * @throws UnreadableCheckpointException when the run's last checkpoint could not be read at start: the
     *                                       run is not new, and must not be recorded again from its start
     */
    Optional<Checkpoint> checkpoint(String runId);

    /**
     * Queues a record for the next transaction of the run's partition and returns. The checkpoint
     * written with that transaction records the record's position (for lifecycle records: never before
     * the run's previous position) and {@code stateAfter}. Blocks while too much is pending
     * (backpressure). A record too big for Kafka is replaced by a {@code CHUNK_REJECTED} record at the
     * same position.
     *
     * @throws RunLogClosedException when the log was closed or failed (the caller stops)
     * @throws IllegalStateException    before {@link #start()}
     * @throws IllegalArgumentException when the run's partition is not owned by this recorder
     */
    void append(ChunkLogRecord record, RunState stateAfter);

    /**
     * Blocks until everything appended so far is committed.
     *
     * @throws RunLogClosedException when the log failed or was closed before that
     */
    void flush();

    /**
     * Why the log stopped, once it did: a fencing ({@link RunLogFailure.Kind#FENCED}: another recorder owns
     * the partitions now), or every owned partition stopped.
     */
    Optional<RunLogFailure> failure();

    /**
     * Calls {@code callback} once when the log stops (the failure {@link #failure()} then returns): on the
     * committer thread that stopped it, or at once when it has stopped already. For the log's owner, so that
     * it learns of a fencing without polling. What the callback throws is logged and ignored.
     */
    void whenFailed(Consumer<RunLogFailure> callback);

    /**
     * The partitions that stopped alone on an error their producer could not recover from (not a fencing;
     * {@link RunLogFailure.Kind#FATAL}), by partition. Appends of their runs throw
     * {@link PartitionStoppedException}; the other partitions keep recording. Each is given up at once and taken
     * again after a backoff (0.5 s after a first stop, growing to 5 min), in a fleet and outside one; it leaves this
     * map once taken again ({@link RunLogListener#stoppedPartitionReleased}). Outside a fleet the log stops once
     * every owned partition is stopped.
     */
    default Map<Integer, RunLogFailure> stoppedPartitions() {
        return Map.of();
    }

    /**
     * The records appended and not (yet) committed, over the partitions this log holds now: those of a partition
     * that stopped stay counted until it is given up (it is in {@link #stoppedPartitions()} from before that until
     * it is taken again). Zero means everything appended so far is committed.
     */
    default long uncommittedRecords() {
        return 0;
    }

    /**
     * Who to tell when partitions come and go: in a fleet ({@link RunLogConfig#groupId}) as the group assigns and
     * revokes them; outside a fleet when a stopped partition is given up and taken again. Set before {@link #start()}.
     */
    default void whenOwnershipChanges(OwnershipListener listener) {}

    /**
     * True when the run's partition is one this log owns now (outside a fleet: every owned partition, but one given up
     * after it stopped, until it is taken again).
     */
    default boolean owns(String runId) {
        return true;
    }

    /** Accepts the runs whose partition is one of {@code partitions}. */
    default java.util.function.Predicate<String> runsOf(java.util.Set<Integer> partitions) {
        return runId -> true;
    }

    /**
     * Offers a run to the fleet: publishes its id to the intake topic, where the member that owns its partition
     * reads it and records the run ({@code mode}: how it was found, for its {@code run.attached} record).
     * Outside a fleet: nothing (this log owns every run).
     */
    default void offer(String runId, String mode) {}

    /** Commits what is pending and closes, within the configured close timeout. Idempotent. */
    @Override
    void close();
}
