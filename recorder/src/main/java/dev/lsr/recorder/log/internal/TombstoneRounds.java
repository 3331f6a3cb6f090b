package dev.lsr.recorder.log.internal;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.recorder.log.RunLogConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tombstones of a running log: every {@link #interval} (a third of {@code tombstoneAfter}, at most an hour, at
 * least a second; the first round one interval after start) selects by the start-up's rule ({@link Tombstones#select})
 * the checkpoints of the owned partitions' runs that ended long ago and hands them to their partitions' committers,
 * which write the tombstones in their own transactions. Runs on a virtual thread of its own: the listing of the runs
 * Letta calls active is an HTTP call, never made on a committer thread. Without it a long-lived recorder kept the
 * checkpoint of every run recorded since its start, in its heap and in the compacted topic, until its next start
 * wrote them all in one transaction per partition.
 */
final class TombstoneRounds implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(TombstoneRounds.class);

    private static final Duration SHORTEST = Duration.ofSeconds(1);
    private static final Duration LONGEST = Duration.ofHours(1);

    private final RunLogConfig config;
    private final CheckpointStore store;
    private final Supplier<RunLogStartup.Running> running;
    private final Clock clock;
    private final Duration interval;
    private Thread thread;

    TombstoneRounds(RunLogConfig config, CheckpointStore store, Supplier<RunLogStartup.Running> running, Clock clock) {
        this.config = config;
        this.store = store;
        this.running = running;
        this.clock = clock;
        this.interval = interval(config.tombstoneAfter());
    }

    /** A third of {@code tombstoneAfter} (an ended run keeps its checkpoint at most a third longer), 1 s .. 1 h. */
    static Duration interval(Duration tombstoneAfter) {
        Duration third = tombstoneAfter.dividedBy(3);
        return third.compareTo(SHORTEST) < 0 ? SHORTEST : third.compareTo(LONGEST) > 0 ? LONGEST : third;
    }

    synchronized TombstoneRounds start() {
        thread =
                Thread.ofVirtual().name("lsr-tombstones-" + config.chunkTopic()).start(this);
        return this;
    }

    /** Stops the rounds (a round listing Letta is interrupted); its requests not taken yet die with the queues. */
    synchronized void stop() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public void run() {
        try {
            while (true) {
                Thread.sleep(interval);
                round();
            }
        } catch (InterruptedException e) {
            LOG.debug("tombstone rounds of {} stopped", config.chunkTopic());
        }
    }

    /** One round: selects, then hands each owned partition's share to its committer. */
    void round() throws InterruptedException {
        RunLogStartup.Running run = running.get();
        if (run == null || run.slots().isEmpty()) {
            return;
        }
        try {
            Map<Integer, List<Checkpoint>> byPartition = Tombstones.select(
                            store.all(),
                            run.layout().partitions(),
                            config.tombstoneAfter(),
                            config.activeRuns(),
                            clock.instant(),
                            "the next round, in " + interval + ", removes them")
                    .orElse(Map.of());
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            byPartition.forEach((partition, ended) -> {
                PartitionSlot slot = run.slots().get(partition);
                // only the partition's owner writes its tombstones: one given up meanwhile is left to its next owner
                if (slot != null) {
                    slot.queue().requestTombstones(ended);
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("tombstone round of {} failed; the next one tries again: {}", config.chunkTopic(), e.toString());
        }
    }
}
