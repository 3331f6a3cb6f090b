package dev.lsr.recorder.log.internal;

import dev.lsr.kernel.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A recorder alone's way back for a partition that stopped (its producer could not go on: an authorization error,
 * five failed re-initialisations): given up at once ({@link GroupMembership.Owner#give}: its runs stopped, its
 * producer closed), then taken again ({@link GroupMembership.Owner#take}: a new producer fences the old one, the
 * checkpoints are restored, the runs continued) after the fleet's stop backoff ({@link StopBackoff}); a take that
 * fails is tried again after {@link StopBackoff#FAILED_TAKE}, growing. All of it on a platform thread of its own
 * ({@code lsr-retake-<topic>}): never on the committer thread that reported the stop, never on an appending one.
 */
final class StandaloneRetakes {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneRetakes.class);

    private final String topic;
    private final GroupMembership.Owner owner;
    private final StopBackoff backoff;
    private final ScheduledThreadPoolExecutor thread;
    /** Partitions stopped before {@link #start()}: the log was still starting, with nothing to give up yet. */
    private final Set<Integer> early = new HashSet<>();

    private boolean started;

    StandaloneRetakes(String topic, GroupMembership.Owner owner, Clock clock) {
        this.topic = topic;
        this.owner = owner;
        this.backoff = new StopBackoff(clock);
        this.thread = new ScheduledThreadPoolExecutor(
                1,
                task -> Thread.ofPlatform().daemon().name("lsr-retake-" + topic).unstarted(task));
        // a stop (the log failing or closing) cancels the waits; a take under way finishes
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** From now on the started log's partitions can be given up: the stops noted meanwhile are handled. */
    synchronized void start() {
        started = true;
        early.forEach(this::schedule);
        early.clear();
    }

    /** {@code partition}'s committer stopped: it is given up, then taken again. Any thread; returns at once. */
    synchronized void stopped(int partition) {
        if (started) {
            schedule(partition);
        } else {
            early.add(partition);
        }
    }

    private void schedule(int partition) {
        later(() -> giveUp(partition), Duration.ZERO);
    }

    private void giveUp(int partition) {
        SortedSet<Integer> one = new TreeSet<>(Set.of(partition));
        if (owner.held().contains(partition)) {
            owner.give(one, "stopped on an error its producer could not recover from");
        }
        Duration delay = backoff.delayAfterStop(partition);
        LOG.info("partition {} of {}: taking it again in {} ms", partition, topic, delay.toMillis());
        later(() -> retake(one, StopBackoff.FAILED_TAKE), delay);
    }

    private void retake(SortedSet<Integer> one, Backoff next) {
        boolean taken;
        try {
            taken = owner.take(one);
        } catch (RuntimeException e) {
            LOG.error("partition {} of {}: taking it again failed unexpectedly", one.first(), topic, e);
            taken = false;
        }
        if (!taken) {
            Duration delay = next.delay();
            if (next == StopBackoff.FAILED_TAKE) {
                LOG.info(
                        "partition {} of {}: not taken again yet; trying again in {} ms, growing (the next tries at"
                                + " DEBUG)",
                        one.first(),
                        topic,
                        delay.toMillis());
            } else {
                LOG.debug(
                        "partition {} of {}: not taken again yet; trying again in {} ms",
                        one.first(),
                        topic,
                        delay.toMillis());
            }
            later(() -> retake(one, next.next()), delay);
        }
    }

    private void later(Runnable task, Duration delay) {
        try {
            thread.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("the retakes of {} stopped; nothing more is given up or taken", topic);
        }
    }

    /** No more gives or takes: the waits are cancelled, a give or take under way finishes. Returns at once. */
    void stop() {
        thread.shutdown();
    }

    /** {@link #stop()}, then waits for a give or take under way, at most {@code timeout}. */
    void close(Duration timeout) {
        stop();
        try {
            if (!thread.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.warn("the retakes of {} did not stop within {}", topic, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
