package dev.lsr.recorder.log.internal;

import dev.lsr.chunklog.LogLayout;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.kernel.Backoff;
import dev.lsr.kernel.TransactionalErrors;
import dev.lsr.recorder.log.RunLogConfig;
import dev.lsr.recorder.log.RunLogFailure;
import dev.lsr.recorder.log.RunLogListener;
import dev.lsr.recorder.log.RunLogStartException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
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

    /** What a started log runs with. */
    record Running(TopicLayout layout, OversizeGuard guard, Map<Integer, PartitionSlot> slots) {

        PartitionSlot slotFor(String runId) {
            int partition = TopicConventions.partitionFor(runId, layout.partitions());
            PartitionSlot slot = slots.get(partition);
            if (slot == null) {
                throw new IllegalArgumentException(
                        "run " + runId + " belongs to partition " + partition + ", which this recorder does not own");
            }
            return slot;
        }
    }

    private final RunLogConfig config;
    private final RunLogListener listener;
    private final Clock clock;
    private final CheckpointStore store;
    private final Consumer<RunLogFailure> onFailure;
    private final List<Producer<byte[], byte[]>> opened = new ArrayList<>();

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

    Running start() {
        Deadline deadline = Deadline.after(config.startTimeout());
        try {
            BootstrapReachability.await(config.bootstrapServers(), config.startTimeout(), deadline);
            TopicLayout layout;
            try (Admin admin = Admin.create(KafkaClients.admin(config))) {
                layout = new TopicSetup(admin, config, deadline).ensure();
            }
            SortedSet<Integer> owned = owned(layout.partitions());
            Map<Integer, Producer<byte[], byte[]>> producers = new TreeMap<>();
            for (int partition : owned) {
                PartitionId id = new PartitionId(config.chunkTopic(), partition);
                Producer<byte[], byte[]> producer = producerFactory().apply(id);
                opened.add(producer);
                producers.put(partition, producer);
            }
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.restoreConsumer(config));
            try {
                // before the fencing: topics that no longer fit the log leave a running recorder alone
                Optional<LogLayout> recorded = LayoutRecord.read(consumer, config.checkpointTopic(), deadline);
                recorded.ifPresent(r -> LayoutRecord.requireSamePartitions(r, layout.partitions(), config));
                initAllTransactions(producers, deadline);
                LostCheckpoints.check(consumer, config, producers, deadline);
                if (recorded.isEmpty() && producers.containsKey(LogLayout.PARTITION)) {
                    writeLayout(producers.get(LogLayout.PARTITION), layout.partitions(), deadline);
                }
                CheckpointRestorer.Restored restored = CheckpointRestorer.restore(
                        consumer, config.checkpointTopic(), layout.partitions(), owned, deadline, listener);
                store.putAll(restored.checkpoints().values());
                store.putUnreadable(restored.unreadable());
                Tombstones.write(
                        producers,
                        config.chunkTopic(),
                        layout.partitions(),
                        restored.checkpoints().values(),
                        store,
                        config.tombstoneAfter(),
                        clock.instant(),
                        deadline);
            } finally {
                // No group, nothing committed: nothing to wait for when closing.
                consumer.close(CloseOptions.timeout(Duration.ZERO));
            }
            OversizeGuard guard =
                    new OversizeGuard(Math.min(KafkaClients.maxRequestSize(config), layout.maxMessageBytes()));
            Map<Integer, PartitionSlot> slots = new TreeMap<>();
            producers.forEach((partition, producer) -> slots.put(
                    partition,
                    startCommitter(partition, producer, guard, ByteBudget.shareOf(config, producers.size()))));
            LOG.info(
                    "run log on {} owns partitions {} of {}; records over {} bytes become CHUNK_REJECTED",
                    config.bootstrapServers(),
                    owned,
                    layout.partitions(),
                    guard.limitBytes());
            return new Running(layout, guard, Map.copyOf(slots));
        } catch (RuntimeException e) {
            opened.forEach(producer -> producer.close(Duration.ZERO));
            throw e instanceof RunLogStartException start
                    ? start
                    : new RunLogStartException("run log could not start: " + TransactionalErrors.describe(e), e);
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
            int partition, Producer<byte[], byte[]> initialised, OversizeGuard guard, ByteBudget budget) {
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
                KafkaClients.transactionTimeout(config));
        PartitionCommitter committer =
                new PartitionCommitter(id, queue, driver, store, budget, listener, clock, onFailure);
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
