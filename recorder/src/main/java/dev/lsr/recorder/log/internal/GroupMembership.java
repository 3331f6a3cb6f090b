package dev.lsr.recorder.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.kernel.Backoff;
import dev.lsr.kernel.OutageLog;
import dev.lsr.kernel.TransactionalErrors;
import dev.lsr.recorder.log.RunLogConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet member's seat in Kafka's consumer group, on its own platform thread ({@code lsr-fleet-<topic>}): a
 * {@link KafkaConsumer} subscribed to the intake topic (as many partitions as the chunk topic, keyed by run id)
 * whose assignment is the set of chunk-topic partitions this member owns, and whose records are the run ids
 * offered to the fleet. KIP-848's {@code consumer} protocol when the broker speaks it, else the classic one
 * with the cooperative sticky assignor; which one ran is logged.
 *
 * <p>Everything that changes ownership happens on this thread, one event at a time: an assignment takes the
 * partitions ({@link Owner#take}: fence, restore, continue the runs), a revocation gives them up
 * ({@link Owner#give}: stop the runs, commit, close the producers), and a partition whose producer was fenced or
 * lost its state is given up at once and taken again only when a synchronous offset commit proves that this
 * member still holds its assignment in the group's current epoch. A member that lost the partition (a
 * zombie past its session timeout) fails that commit, so it never initialises the producer again and never
 * fences the new owner back.
 */
final class GroupMembership implements Runnable, ConsumerRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(GroupMembership.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /**
     * On assignment the intake partition is read again from this long ago: a run offered to a member that
     * died before the run's first commit is offered again to the new owner (a run the log already holds is
     * skipped by its checkpoint).
     */
    static final Duration INTAKE_LOOKBACK = Duration.ofMinutes(10);

    /** What the membership drives: the run log's partitions. */
    interface Owner {
        /** Takes the partitions (fences, restores, continues); false when it could not (retried later). */
        boolean take(SortedSet<Integer> partitions);

        /** Gives the partitions up (stops their runs, commits, closes the producers); never throws. */
        void give(SortedSet<Integer> partitions, String why);

        /** The group no longer assigns the partitions here (revoked, lost, or this member left). */
        void unassigned(SortedSet<Integer> partitions);

        /** The partitions held now. */
        Set<Integer> held();

        /** A run id read from the intake topic, in a partition held now, with the mode it was offered in. */
        void offered(String runId, String mode);

        /** The group's partitions changed (assigned or revoked): for the metrics. */
        void rebalanced(int owned);

        /**
         * A recorder outside this fleet keeps taking {@code partition} although the group assigns it here (a
         * second fleet with another group id, or a recorder that does not watch, on the same topic): stop.
         */
        void foreignOwner(int partition, String message);

        /** The membership stopped for good (the group refused this member, or a bug): no partition comes here. */
        void membershipFailed(String message, Throwable cause);
    }

    /**
     * A partition lost this many times within {@link #FOREIGN_WINDOW}, each time taken again with the group's
     * confirmation, has an owner outside the fleet: two fleets taking turns would fence each other forever.
     */
    static final int FOREIGN_LOSSES = 3;

    static final Duration FOREIGN_WINDOW = Duration.ofMinutes(2);

    private final RunLogConfig config;
    private final Owner owner;
    private final Clock clock;
    /** When the group began refusing this member (see {@link #refusesThisMember}); null while it does not. */
    private Instant refusedSince;

    private final ConcurrentLinkedQueue<Integer> fenced = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Integer> lostState = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Integer> stopped = new ConcurrentLinkedQueue<>();
    /** The partitions the group assigns this member (membership thread only). */
    private final SortedSet<Integer> assigned = new TreeSet<>();

    private final Map<Integer, Instant> retakeAfter = new HashMap<>();
    /** Assigned partitions whose intake position could not be sought back yet (the broker did not answer). */
    private final SortedSet<Integer> unsought = new TreeSet<>();

    private final Map<Integer, java.util.ArrayDeque<Instant>> losses = new HashMap<>();
    private final StopBackoff stops;
    private final OutageLog outage;
    private Backoff retakeBackoff = StopBackoff.FAILED_TAKE;
    private final java.util.concurrent.CountDownLatch firstAssignment = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean closing;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    private String protocol = "consumer";

    GroupMembership(RunLogConfig config, Owner owner, Clock clock) {
        this.config = config;
        this.owner = owner;
        this.clock = clock;
        this.stops = new StopBackoff(clock);
        this.outage = new OutageLog(
                LOG,
                new OutageLog.Wording(
                        "fleet " + config.groupId() + ":", "group membership failing", "retrying", "member again"),
                clock);
    }

    GroupMembership start() {
        thread = Thread.ofPlatform()
                .daemon()
                .name("lsr-fleet-" + config.chunkTopic())
                .start(this);
        return this;
    }

    /** Waits until the group's first assignment (possibly empty) was taken; false when it did not come in time. */
    boolean awaitFirstAssignment(Duration timeout) {
        try {
            return firstAssignment.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * A committer lost its partition: fenced by another producer, or its producer lost its state (a transaction the
     * coordinator aborted for its timeout), which implies no other owner and so never counts as one. Any thread.
     */
    void lost(int partition, boolean fencedByAnotherProducer) {
        (fencedByAnotherProducer ? fenced : lostState).add(partition);
    }

    /**
     * A committer stopped on an error its producer could not recover from (not a fencing): any thread. The
     * partition is given up and taken again like a lost one, but its stops never count as another owner's.
     */
    void stopped(int partition) {
        stopped.add(partition);
    }

    /** Leaves the group (the partitions held are given up on the way) and waits, at most {@code timeout}. */
    void close(Duration timeout) {
        closing = true;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            if (thread != null && !thread.join(timeout)) {
                LOG.warn("fleet {}: the membership thread did not stop within {}", config.groupId(), timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        try {
            consumer = open(protocol);
            while (!closing) {
                try {
                    pollOnce();
                    outage.succeeded();
                    refusedSince = null;
                } catch (WakeupException e) {
                    break;
                } catch (UnsupportedVersionException e) {
                    if (!"consumer".equals(protocol)) {
                        throw e;
                    }
                    LOG.info(
                            "fleet {}: the broker does not speak KIP-848's consumer group protocol ({}); using the"
                                    + " classic one with the cooperative sticky assignor",
                            config.groupId(),
                            e.getMessage());
                    consumer.close(CloseOptions.timeout(Duration.ZERO));
                    protocol = "classic";
                    consumer = open(protocol);
                } catch (KafkaException e) {
                    if (refusesThisMember(e) && refusedFor().compareTo(config.startTimeout()) >= 0) {
                        throw e;
                    }
                    outage.failed(TransactionalErrors.describe(e));
                    sleep(Duration.ofSeconds(1));
                }
            }
        } catch (RuntimeException e) {
            if (!closing) {
                LOG.error("fleet {}: the group membership stopped: {}", config.groupId(), e.toString(), e);
                owner.membershipFailed(
                        "fleet " + config.groupId() + ": the group membership stopped, so this member can be assigned"
                                + " no partition: " + TransactionalErrors.describe(e),
                        e);
            }
        } finally {
            firstAssignment.countDown();
            leave();
        }
    }

    /**
     * How long the group has refused this member without a poll in between. A refusal is retried for the run log's
     * start timeout before it stops the log: a new ACL takes a while to reach every broker, and an identity provider
     * can be away for a moment, and a whole fleet must not exit at once for that.
     */
    private Duration refusedFor() {
        Instant now = clock.instant();
        if (refusedSince == null) {
            refusedSince = now;
        }
        return Duration.between(refusedSince, now);
    }

    /**
     * An answer no retry changes once it lasts: the broker refuses this member its group (an ACL, credentials), or
     * another member has its {@code group.instance.id}. Retried for good, the member would run with no partition
     * while every other check passes.
     */
    private static boolean refusesThisMember(KafkaException e) {
        return TransactionalErrors.inChain(e, InvalidConfigurationException.class)
                || TransactionalErrors.inChain(e, AuthorizationException.class)
                || TransactionalErrors.inChain(e, AuthenticationException.class)
                || TransactionalErrors.inChain(e, FencedInstanceIdException.class)
                || TransactionalErrors.inChain(e, InvalidGroupIdException.class);
    }

    private void pollOnce() {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
            if (record.key() == null) {
                continue;
            }
            String runId = new String(record.key(), UTF_8);
            if (!owner.held().contains(record.partition())) {
                // not expected: a partition not held is paused until it is taken
                LOG.warn(
                        "fleet {}: run {} offered on partition {}, which this member does not hold now; its next"
                                + " taker reads it",
                        config.groupId(),
                        runId,
                        record.partition());
                continue;
            }
            owner.offered(
                    runId,
                    record.value() == null || record.value().length == 0
                            ? "intake"
                            : new String(record.value(), UTF_8));
        }
        giveUpLost();
        retakeVerified();
    }

    private KafkaConsumer<byte[], byte[]> open(String groupProtocol) {
        KafkaConsumer<byte[], byte[]> opened =
                new KafkaConsumer<>(KafkaClients.groupConsumer(config, config.groupId(), groupProtocol));
        opened.subscribe(List.of(config.intakeTopic()), this);
        LOG.info(
                "fleet {}: joining with the {} group protocol{} (topic {}, partitions follow the group's assignment)",
                config.groupId(),
                groupProtocol,
                "classic".equals(groupProtocol) ? " and the cooperative sticky assignor" : " (KIP-848)",
                config.intakeTopic());
        return opened;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        try {
            assign(partitions);
        } finally {
            firstAssignment.countDown();
        }
    }

    private void assign(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        SortedSet<Integer> fresh = numbers(partitions);
        assigned.addAll(fresh);
        boolean sought = trySeekBack(fresh);
        LOG.info("fleet {}: assigned partitions {} (now {})", config.groupId(), fresh, assigned);
        owner.rebalanced(assigned.size());
        if (!sought || !owner.take(fresh)) {
            pauseUntilTaken(fresh);
            fresh.forEach(p -> retakeAfter.put(p, clock.instant().plus(retakeBackoff.delay())));
        }
    }

    /**
     * Leaves the offers of assigned partitions not held (a take that failed, a producer lost) in the intake topic
     * until they are taken again, instead of reading past them: a run offered meanwhile (the runs this member
     * stopped when it gave the partition up among them) is read by the holder.
     */
    private void pauseUntilTaken(Collection<Integer> partitions) {
        consumer.pause(intakePartitions(partitions));
    }

    private void resumeTaken(Collection<Integer> partitions) {
        consumer.resume(intakePartitions(partitions));
    }

    private List<TopicPartition> intakePartitions(Collection<Integer> partitions) {
        return partitions.stream()
                .map(p -> new TopicPartition(config.intakeTopic(), p))
                .toList();
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            release(numbers(partitions), "revoked");
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            release(numbers(partitions), "lost (this member left the group, e.g. paused past its session timeout)");
        }
    }

    private void release(SortedSet<Integer> partitions, String why) {
        assigned.removeAll(partitions);
        unsought.removeAll(partitions);
        partitions.forEach(retakeAfter::remove);
        LOG.info("fleet {}: partitions {} {} (now {})", config.groupId(), partitions, why, assigned);
        owner.give(partitions, why);
        owner.unassigned(partitions);
        owner.rebalanced(assigned.size());
    }

    /**
     * Gives up, at once, the partitions whose committer lost its producer or stopped; they are taken again only
     * verified.
     */
    private void giveUpLost() {
        giveUp(fenced, "fenced by another producer", Loss.FENCED);
        giveUp(lostState, "its producer lost its state", Loss.STATE_LOST);
        giveUp(stopped, "stopped on an error its producer could not recover from", Loss.STOPPED);
    }

    /** How a committer lost its partition, which decides the wait before the next take and what it says. */
    private enum Loss {
        /** Another producer took the transactional id: three within the window mean an owner outside the fleet. */
        FENCED,
        /**
         * The producer lost its state (no other owner implied): never counted; taken again after a wait that grows
         * with each loss or stop, like a stopped one, so a loss that comes back after every take does not restart
         * the partition's runs every half second.
         */
        STATE_LOST,
        /** Another error: taken again after a wait that grows with each stop. */
        STOPPED
    }

    private void giveUp(ConcurrentLinkedQueue<Integer> partitions, String why, Loss loss) {
        Integer partition;
        while ((partition = partitions.poll()) != null) {
            if (owner.held().contains(partition)) {
                owner.give(new TreeSet<>(Set.of(partition)), why);
            }
            if (loss == Loss.FENCED && lostTooOften(partition)) {
                owner.foreignOwner(
                        partition,
                        "fenced: another recorder outside fleet " + config.groupId() + " keeps taking partition "
                                + partition + " of " + config.chunkTopic() + " (lost " + FOREIGN_LOSSES
                                + " times within " + FOREIGN_WINDOW.toSeconds() + " s although the group assigns it"
                                + " here): a second fleet (another --group-id) or a recorder that does not watch"
                                + " records the same topic");
                continue;
            }
            if (assigned.contains(partition)) {
                pauseUntilTaken(List.of(partition));
                Duration delay = loss == Loss.FENCED ? retakeBackoff.delay() : stops.delayAfterStop(partition);
                retakeAfter.put(partition, clock.instant().plus(delay));
            }
        }
    }

    private boolean lostTooOften(int partition) {
        Instant now = clock.instant();
        java.util.ArrayDeque<Instant> times = losses.computeIfAbsent(partition, p -> new java.util.ArrayDeque<>());
        times.addLast(now);
        while (!times.isEmpty() && times.peekFirst().isBefore(now.minus(FOREIGN_WINDOW))) {
            times.removeFirst();
        }
        return times.size() >= FOREIGN_LOSSES;
    }

    /**
     * Takes again the assigned partitions not held (lost, or a take that failed), once a synchronous commit of
     * their intake positions shows this member is still current in the group: a fenced or expired member's
     * commit fails, and the partition stays given up until the group assigns it again.
     */
    private void retakeVerified() {
        Instant now = clock.instant();
        SortedSet<Integer> due = retakeAfter.entrySet().stream()
                .filter(e -> !now.isBefore(e.getValue()) && assigned.contains(e.getKey()))
                .map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        if (due.isEmpty()) {
            return;
        }
        SortedSet<Integer> toSeek = new TreeSet<>(due);
        toSeek.retainAll(unsought);
        if (!toSeek.isEmpty() && !trySeekBack(toSeek)) {
            retakeLater(due, now);
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        for (int p : due) {
            TopicPartition tp = new TopicPartition(config.intakeTopic(), p);
            positions.put(tp, new OffsetAndMetadata(consumer.position(tp)));
        }
        try {
            consumer.commitSync(positions, config.startTimeout());
        } catch (KafkaException e) {
            LOG.warn(
                    "fleet {}: not taking partitions {} again: this member's hold on them could not be confirmed ({});"
                            + " the group decides",
                    config.groupId(),
                    due,
                    TransactionalErrors.describe(e));
            retakeLater(due, now);
            return;
        }
        due.forEach(retakeAfter::remove);
        LOG.info("fleet {}: still assigned partitions {}; taking them again", config.groupId(), due);
        if (owner.take(due)) {
            resumeTaken(due);
            retakeBackoff = StopBackoff.FAILED_TAKE;
        } else {
            retakeLater(due, now);
        }
    }

    /** Tries the next take of {@code partitions} after the retake backoff, which grows with each failed retake. */
    private void retakeLater(Collection<Integer> partitions, Instant now) {
        partitions.forEach(p -> retakeAfter.put(p, now.plus(retakeBackoff.delay())));
        retakeBackoff = retakeBackoff.next();
    }

    /**
     * {@link #seekBack}, or false (and a WARN) when the broker does not answer: the partitions are then taken only
     * once it does, with their next retake.
     */
    private boolean trySeekBack(SortedSet<Integer> partitions) {
        try {
            seekBack(intakePartitions(partitions));
            unsought.removeAll(partitions);
            return true;
        } catch (KafkaException e) {
            unsought.addAll(partitions);
            LOG.warn(
                    "fleet {}: could not find where to read the offers of partitions {} from ({}); taking them once"
                            + " it can",
                    config.groupId(),
                    partitions,
                    TransactionalErrors.describe(e));
            return false;
        }
    }

    /**
     * Reads each newly assigned intake partition again from {@link #INTAKE_LOOKBACK} ago; a partition with no offer
     * that recent is read from its end offset as asked now, before the take. Not from Kafka's {@code seekToEnd},
     * which is resolved lazily at the first poll after the take (fencing, restore: up to seconds), past any run
     * offered meanwhile, which no member would then ever record. The end is asked before the lookback, so an offer
     * made between the two answers is read either way.
     */
    private void seekBack(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, config.startTimeout());
        long since = clock.instant().minus(INTAKE_LOOKBACK).toEpochMilli();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, since));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, config.startTimeout());
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp at = found.get(tp);
            consumer.seek(tp, at != null ? at.offset() : ends.get(tp));
        }
    }

    private void leave() {
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            try {
                // leaving runs the revocation (the partitions are given up) and tells the group at once
                current.close(CloseOptions.timeout(config.closeTimeout()));
            } catch (RuntimeException e) {
                LOG.warn("fleet {}: leaving the group: {}", config.groupId(), TransactionalErrors.describe(e));
            }
        }
        SortedSet<Integer> still = new TreeSet<>(owner.held());
        if (!still.isEmpty()) {
            owner.give(still, "leaving the fleet");
        }
        if (!assigned.isEmpty()) {
            owner.unassigned(new TreeSet<>(assigned));
        }
        LOG.info("fleet {}: left", config.groupId());
    }

    /** Which group protocol runs ({@code consumer} or {@code classic}). */
    String protocol() {
        return protocol;
    }

    private static SortedSet<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
