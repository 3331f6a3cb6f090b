package dev.lsr.recorder.log.internal;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.kernel.TransactionalErrors;
import dev.lsr.recorder.log.CommitStats;
import dev.lsr.recorder.log.PartitionLostException;
import dev.lsr.recorder.log.PartitionStoppedException;
import dev.lsr.recorder.log.RunLogClosedException;
import dev.lsr.recorder.log.RunLogException;
import dev.lsr.recorder.log.RunLogFailure;
import dev.lsr.recorder.log.RunLogListener;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committer loop of one partition (run on its own platform thread): takes the next batch from the
 * queue, folds its checkpoints, commits it through the {@link TransactionDriver}, then publishes the
 * checkpoints, releases the batch's bytes, reports the commit and, last, wakes flushes (so a returned
 * flush sees all of it). The tombstones a round requested ({@link Tombstones}) go with the next batch, or in a
 * transaction of their own when no record is queued: only those whose run's committed checkpoint is still the one
 * selected, and the store drops them only once their transaction committed (one that fails drops them from this
 * round; the next selects them again). Ends when the queue is drained after
 * close, abandoned, or on a fencing or an error the driver could not recover from (reported to
 * {@code onFailure}).
 */
final class PartitionCommitter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionCommitter.class);

    private final PartitionId id;
    private final PendingQueue queue;
    private final TransactionDriver driver;
    private final CheckpointStore store;
    private final ByteBudget budget;
    private final RunLogListener listener;
    private final Clock clock;
    private final Consumer<RunLogFailure> onFailure;
    private final boolean inFleet;
    private final Duration tombstoneAfter;

    PartitionCommitter(
            PartitionId id,
            PendingQueue queue,
            TransactionDriver driver,
            CheckpointStore store,
            ByteBudget budget,
            RunLogListener listener,
            Clock clock,
            Consumer<RunLogFailure> onFailure,
            boolean inFleet,
            Duration tombstoneAfter) {
        this.inFleet = inFleet;
        this.tombstoneAfter = tombstoneAfter;
        this.id = id;
        this.queue = queue;
        this.driver = driver;
        this.store = store;
        this.budget = budget;
        this.listener = listener;
        this.clock = clock;
        this.onFailure = onFailure;
    }

    @Override
    public void run() {
        try {
            PendingQueue.Work work;
            while ((work = queue.takeWork()) != null) {
                Map<String, Checkpoint> checkpoints = CheckpointFold.of(work.items(), store::get, clock.instant());
                List<Checkpoint> tombstones =
                        Tombstones.stillEnded(work.tombstones(), store::get, checkpoints.keySet());
                if (!work.items().isEmpty() || !tombstones.isEmpty()) {
                    commit(new Batch(work.items(), checkpoints, tombstones));
                }
            }
            LOG.debug("{}: committer stopped", id);
        } catch (PartitionFailedException e) {
            fail(e.failure());
        } catch (TransactionDriver.Abandoned | InterruptedException e) {
            LOG.debug("{}: committer abandoned with {} records uncommitted", id, queue.uncommitted());
        } catch (RuntimeException e) {
            fail(unexpected(e));
        } catch (Error e) {
            // a stack overflow or an out-of-memory must not end the thread unreported, with appends blocked for good
            fail(unexpected(e));
            throw e;
        }
    }

    private RunLogFailure unexpected(Throwable e) {
        return new RunLogFailure(
                RunLogFailure.Kind.FATAL,
                id.partition(),
                "unexpected error on " + id + ": " + TransactionalErrors.describe(e),
                e);
    }

    /**
     * A fencing stops the whole log (another recorder owns this partition, so probably the others too);
     * any other failure stops this partition alone: its appends throw {@link PartitionStoppedException}, its
     * queued records are dropped (still uncommitted, so drained again once it is taken again) and their bytes go
     * back to the budget, so the other partitions keep recording. In a fleet a fenced partition, or one whose
     * producer lost its state, is lost: whichever member takes it next continues its runs.
     */
    private void fail(RunLogFailure failure) {
        RunLogException reason = switch (failure.kind()) {
            case FATAL -> new PartitionStoppedException(failure.message(), failure.cause());
            case FENCED, LOST ->
                inFleet
                        ? new PartitionLostException(failure.message())
                        : new RunLogClosedException(failure.message(), failure.cause());
        };
        onFailure.accept(failure);
        budget.release(queue.stop(reason));
    }

    private void commit(Batch batch)
            throws PartitionFailedException, TransactionDriver.Abandoned, InterruptedException {
        TransactionDriver.Result result;
        try {
            result = driver.commit(batch);
        } catch (PartitionFailedException | RuntimeException | Error e) {
            // the partition stops: the batch's bytes go back to the budget the other partitions share
            queue.dropped(batch.items());
            budget.release(batch.reservedBytes());
            throw e;
        } catch (TransactionDriver.Abandoned | InterruptedException e) {
            queue.dropped(batch.items());
            throw e;
        }
        store.putAll(batch.checkpoints().values());
        batch.tombstones().forEach(ended -> store.remove(ended.runId(), ended));
        budget.release(batch.reservedBytes());
        if (!batch.tombstones().isEmpty()) {
            Tombstones.logRemoved(id, batch.tombstones().size(), tombstoneAfter);
        }
        if (batch.size() == 0) {
            // tombstones alone: no record's latency to report
            queue.markCommitted(0);
            return;
        }
        listener.transactionCommitted(new CommitStats(
                id.partition(),
                batch.size(),
                batch.bytes(),
                batch.checkpoints().size(),
                result.attempts(),
                Duration.between(batch.oldestAppendedAt(), clock.instant()),
                result.transactionTime()));
        queue.markCommitted(batch.size());
    }
}
