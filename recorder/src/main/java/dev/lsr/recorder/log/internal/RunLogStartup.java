package dev.lsr.recorder.log.internal;

import dev.lsr.chunklog.LogLayout;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.kernel.Backoff;
import dev.lsr.kernel.TransactionalErrors;
import dev.lsr.recorder.log.PartitionLostException;
import dev.lsr.recorder.log.RunLogConfig;
import dev.lsr.recorder.log.RunLogFailure;
import dev.lsr.recorder.log.RunLogListener;
import dev.lsr.recorder.log.RunLogStartException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start sequence, in the order exactly-once needs: topics, then one transactional producer per
 * owned partition ({@code initTransactions} fences older owners and completes their open
 * transactions), then the restore (whose end offsets are taken only after that fencing), then the
 * committer threads. Around the restore: the recorded partition count is compared with the topics
 * (before the fencing), lost checkpoint partitions are refused or rebuilt, the layout record is
 * written when missing, and the checkpoints of runs ended before the catch-up window get tombstones.
 */
final class RunLogStartup {

    private static final Logger LOG = LoggerFactory.getLogger(RunLogStartup.class);

    /**
     * What a started log runs with. {@code slots} holds the owned partitions: fixed outside a fleet; in a fleet
     * changed only by the membership thread as partitions come and go.
     */
    record Running(TopicLayout layout, OversizeGuard guard, Map<Integer, PartitionSlot> slots, boolean inFleet) {

        int partitionOf(String runId) {
            return TopicConventions.partitionFor(runId, layout.partitions());
        }

        PartitionSlot slotFor(String runId) {
            int partition = partitionOf(runId);
            PartitionSlot slot = slots.get(partition);
            if (slot == null) {
                String message =
                        "run " + runId + " belongs to partition " + partition + ", which this recorder does not own";
                throw inFleet ? new PartitionLostException(message) : new IllegalArgumentException(message);
            }
            return slot;
        }
    }

    private final RunLogConfig config;
    private final RunLogListener listener;
    private final Clock clock;
    private final CheckpointStore store;
    private final Consumer<RunLogFailure> onFailure;

    RunLogStartup(
            RunLogConfig config,
            RunLogListener listener,
            Clock clock,
            CheckpointStore store,
            Consumer<RunLogFailure> onFailure) {
        this.config = config;
        this.listener = listener;
        this.clock = clock;
        this.store = store;
        this.onFailure = onFailure;
    }

    /**
     * Checks the topics (creating missing ones) and the recorded layout; outside a fleet also takes the owned
     * partitions ({@link #acquire}). In a fleet the log starts owning nothing.
     */
    Running start() {
        Deadline deadline = Deadline.after(config.startTimeout());
        try {
            BootstrapReachability.await(config.bootstrapServers(), config.startTimeout(), deadline);
            TopicLayout layout;
            try (Admin admin = Admin.create(KafkaClients.admin(config))) {
                TopicSetup setup = new TopicSetup(admin, config, deadline);
                layout = setup.ensure();
                if (config.inFleet()) {
                    setup.ensureIntake(layout.partitions());
                }
            }
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.restoreConsumer(config));
            try {
                // before the fencing: topics that no longer fit the log leave a running recorder alone
                LayoutRecord.read(consumer, config.checkpointTopic(), deadline)
                        .ifPresent(r -> LayoutRecord.requireSamePartitions(r, layout.partitions(), config));
            } finally {
                consumer.close(CloseOptions.timeout(Duration.ZERO));
            }
            OversizeGuard guard =
                    new OversizeGuard(Math.min(KafkaClients.maxRequestSize(config), layout.maxMessageBytes()));
            Running running =
                    new Running(layout, guard, new java.util.concurrent.ConcurrentHashMap<>(), config.inFleet());
            if (!config.inFleet()) {
                acquire(running, owned(layout.partitions()), deadline);
            }
            LOG.info(
                    "run log on {} {} of {}; records over {} bytes become CHUNK_REJECTED",
                    config.bootstrapServers(),
                    config.inFleet()
                            ? "joins fleet " + config.groupId() + " for partitions"
                            : "owns partitions " + new TreeSet<>(running.slots().keySet()),
                    layout.partitions(),
                    guard.limitBytes());
            return running;
        } catch (RuntimeException e) {
            throw e instanceof RunLogStartException start
                    ? start
                    : new RunLogStartException("run log could not start: " + TransactionalErrors.describe(e), e);
        }
    }

    /**
     * Takes partitions, in the order exactly-once needs: one transactional producer each
     * ({@code initTransactions} fences older owners and completes their open transactions), lost checkpoint
     * partitions refused or rebuilt, the layout record written when missing, then the restore (end offsets taken
     * only after the fencing), tombstones, then the committer threads, added to {@code running}'s slots.
     *
     * @return the restored checkpoints of the partitions taken
     * @throws RunLogStartException when a producer cannot be initialised or the restore fails (nothing is taken)
     */
    Map<String, dev.lsr.chunklog.Checkpoint> acquire(
            Running running, SortedSet<Integer> partitions, Deadline startDeadline) {
        List<Producer<byte[], byte[]>> opened = new ArrayList<>();
        try {
            int partitionCount = running.layout().partitions();
            Map<Integer, Producer<byte[], byte[]>> producers = new TreeMap<>();
            for (int partition : partitions) {
                PartitionId id = new PartitionId(config.chunkTopic(), partition);
                Producer<byte[], byte[]> producer = producerFactory().apply(id);
                opened.add(producer);
                producers.put(partition, producer);
            }
            CheckpointRestorer.Restored restored;
            Map<TopicPartition, Long> ends;
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.restoreConsumer(config));
            try {
                initAllTransactions(producers, startDeadline);
                // after the fencing: the lost-checkpoint checks' and the committers' starting points
                ends = PartitionReader.endOffsets(
                        consumer,
                        LostCheckpoints.ownedPartitions(config, partitions),
                        "the owned partitions",
                        startDeadline);
                // a rebuild reads chunk partitions in full, on its own deadline: what follows gets a start timeout
                Deadline deadline = LostCheckpoints.check(consumer, config, producers, ends, clock, startDeadline)
                        ? Deadline.after(config.startTimeout())
                        : startDeadline;
                if (producers.containsKey(LogLayout.PARTITION)
                        && LayoutRecord.read(consumer, config.checkpointTopic(), deadline)
                                .isEmpty()) {
                    writeLayout(producers.get(LogLayout.PARTITION), partitionCount, deadline);
                }
                restored = CheckpointRestorer.restore(
                        consumer, config.checkpointTopic(), partitionCount, partitions, deadline, listener);
                store.putAll(restored.checkpoints().values());
                store.putUnreadable(restored.unreadable());
                Tombstones.write(
                        producers,
                        config.chunkTopic(),
                        partitionCount,
                        restored.checkpoints().values(),
                        store,
                        config.tombstoneAfter(),
                        config.activeRuns(),
                        clock.instant(),
                        deadline);
            } finally {
                // No group, nothing committed: nothing to wait for when closing.
                consumer.close(CloseOptions.timeout(Duration.ZERO));
            }
            // shared by every partition, whatever this take holds: a fleet member may come to own all of them, and a
            // recorder alone takes a stopped partition again alone (a share of the whole would exceed the limit)
            int shares = partitionCount;
            producers.forEach((partition, producer) -> running.slots()
                    .put(
                            partition,
                            startCommitter(
                                    partition,
                                    producer,
                                    running.guard(),
                                    ByteBudget.shareOf(config, shares),
                                    ends.get(new TopicPartition(config.chunkTopic(), partition)))));
            return restored.checkpoints();
        } catch (RuntimeException e) {
            opened.forEach(producer -> producer.close(Duration.ZERO));
            throw e instanceof RunLogStartException start
                    ? start
                    : new RunLogStartException(
                            "could not take partitions " + partitions + ": " + TransactionalErrors.describe(e), e);
        }
    }

    private void writeLayout(Producer<byte[], byte[]> producer, int partitions, Deadline deadline) {
        LogLayout layout = LogLayout.of(partitions, clock.instant());
        StartupWrites.commit(
                producer,
                new PartitionId(config.chunkTopic(), LogLayout.PARTITION),
                List.of(LayoutRecord.record(config.checkpointTopic(), layout)),
                "the layout record",
                deadline);
        LOG.info(
                "recorded the log's partition count {} in {} (partition {}, key {})",
                partitions,
                config.checkpointTopic(),
                LogLayout.PARTITION,
                LogLayout.KEY);
    }

    private SortedSet<Integer> owned(int partitions) {
        SortedSet<Integer> owned = new TreeSet<>();
        if (config.ownedPartitions().isEmpty()) {
            for (int p = 0; p < partitions; p++) {
                owned.add(p);
            }
            return owned;
        }
        for (int p : config.ownedPartitions()) {
            if (p >= partitions) {
                throw new RunLogStartException("owned partition " + p + " does not exist: " + config.chunkTopic()
                        + " has " + partitions + " partitions");
            }
            owned.add(p);
        }
        return owned;
    }

    /** Makes the producer of a partition (at start, and again when one must be re-initialised). */
    private java.util.function.Function<PartitionId, Producer<byte[], byte[]>> producerFactory() {
        return id -> new KafkaProducer<>(KafkaClients.producer(config, id));
    }

    private PartitionSlot startCommitter(
            int partition,
            Producer<byte[], byte[]> initialised,
            OversizeGuard guard,
            ByteBudget budget,
            long chunkEnd) {
        PartitionId id = new PartitionId(config.chunkTopic(), partition);
        PartitionProducer producer = new PartitionProducer(id, initialised, producerFactory());
        PendingQueue queue = new PendingQueue(
                config.commitWindow(),
                config.maxBatchRecords(),
                RecordBytes.recordsPerBatch(config.maxBatchBytes()),
                budget);
        TransactionDriver driver = new TransactionDriver(
                producer,
                id,
                guard,
                queue,
                listener,
                clock,
                Backoff.doubling(config.retryBackoffInitial(), config.retryBackoffMax()),
                KafkaClients.transactionTimeout(config),
                !config.inFleet(),
                new KafkaPartitionTail(
                        config, new TopicPartition(config.chunkTopic(), partition), config.startTimeout()),
                chunkEnd);
        PartitionCommitter committer = new PartitionCommitter(
                id,
                queue,
                driver,
                store,
                budget,
                listener,
                clock,
                onFailure,
                config.inFleet(),
                config.tombstoneAfter());
        // A platform thread, not a virtual one: under full load hundreds of run threads keep the virtual-thread
        // carriers busy, and a committer woken by its commit waited behind them (docs/benchmarks.md, ingest).
        Thread thread = Thread.ofPlatform()
                .daemon()
                .name("lsr-commit-" + config.chunkTopic() + "-" + partition)
                .start(committer);
        return new PartitionSlot(id, producer, queue, thread);
    }

    /**
     * Initialises every partition's producer at the same time: after a crash each one waits for the
     * broker to abort its predecessor's open transaction, so one after the other the restart took
     * partitions x that wait (see docs/benchmarks.md, recovery).
     */
    private void initAllTransactions(Map<Integer, Producer<byte[], byte[]>> producers, Deadline deadline) {
        Map<Integer, Thread> threads = new TreeMap<>();
        Map<Integer, RuntimeException> failures = new java.util.concurrent.ConcurrentHashMap<>();
        producers.forEach((partition, producer) -> threads.put(
                partition,
                Thread.ofVirtual()
                        .name("lsr-init-" + config.chunkTopic() + "-" + partition)
                        .start(() -> {
                            try {
                                initTransactions(producer, new PartitionId(config.chunkTopic(), partition), deadline);
                            } catch (RuntimeException e) {
                                failures.put(partition, e);
                            }
                        })));
        try {
            for (Thread thread : threads.values()) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunLogStartException("interrupted while initialising the transactional producers", e);
        }
        failures.entrySet().stream().min(Map.Entry.comparingByKey()).ifPresent(first -> {
            throw first.getValue();
        });
    }

    private static void initTransactions(Producer<byte[], byte[]> producer, PartitionId id, Deadline deadline) {
        while (true) {
            try {
                producer.initTransactions();
                return;
            } catch (RuntimeException e) {
                TransactionalErrors.Action action = TransactionalErrors.classify(TransactionalErrors.Call.INIT, e);
                if (action != TransactionalErrors.Action.RETRY_CALL || deadline.isOver()) {
                    throw new RunLogStartException(
                            "could not initialise the transactional producer of " + id + " (transactional id "
                                    + id.transactionalId() + "): " + TransactionalErrors.describe(e),
                            e);
                }
                LOG.info(
                        "{}: initialising transactions is taking longer ({}), retrying",
                        id,
                        TransactionalErrors.describe(e));
                deadline.sleep(Duration.ofMillis(500));
            }
        }
    }
}
