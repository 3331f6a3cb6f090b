package dev.lsr.consumer.analytics.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.consumer.analytics.AnalyticsConfig;
import dev.lsr.consumer.analytics.SummaryRunFold;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import dev.lsr.consumer.projection.summary.RunSummaries;
import dev.lsr.consumer.projection.summary.RunSummary;
import dev.lsr.consumer.projection.summary.RunSummaryFold;
import dev.lsr.consumer.reader.RunPartitions;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.SummaryTopicReader;
import dev.lsr.consumer.testing.SyntheticRuns;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.kernel.TransactionalErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the job's loop does with its producer's errors, against a real broker: the same as the recorder
 * ({@link TransactionalErrors} decides for both).
 */
@ExtendWith(KafkaBrokerExtension.class)
class ProducerErrorsIT {

    private static final Logger log = LoggerFactory.getLogger(ProducerErrorsIT.class);
    private static final int RUNS = 60;
    private static final int UNREADABLE_EVERY = 20;

    /**
     * An {@code InvalidProducerEpochException} is abortable (KIP-588; KIP-890 keeps it so): the job aborts,
     * rewinds to its last commit and goes on, and ends with every run summarised once. Before the
     * classifier was shared, the job treated it as a fencing and stopped.
     *
     * <p>The error is not the broker's: a 4.x broker with transactions v2 answers its usual cause (a
     * transaction the coordinator aborted for its timeout) with a fencing, so the job's real producer throws
     * it from one commit ({@link SecondCommitFault#epochError}), leaving that transaction open to abort.
     */
    @Test
    void anInvalidProducerEpochAbortsAndRewindsInsteadOfStoppingTheJob(KafkaBroker broker) throws Exception {
        Job job = new Job(broker, Job.newConfig(broker, "epoch"), SecondCommitFault::epochError);

        Throwable stopped =
                job.runUntil(counters -> counters.caughtUp && job.summaries().size() == RUNS);

        assertNull(stopped, () -> "the job stopped on an abortable error: " + stopped);
        assertTrue(job.producer.happened(), "the epoch error was raised");
        assertTrue(job.counters.aborts.get() >= 1, "the transaction was aborted: " + job.counters.aborts.get());
        assertEquals(job.expected, job.summaries());
    }

    /**
     * A problem is counted and logged once, though the transaction that met it is aborted and done again: the log
     * has an unreadable record (no headers) after every {@value #UNREADABLE_EVERY}th record, so the failed second
     * transaction has some. Before, the rewound batch's problems were counted and logged a second time.
     */
    @Test
    void aProblemInAnAbortedTransactionIsCountedOnce(KafkaBroker broker) throws Exception {
        Job job = new Job(broker, Job.newConfig(broker, "problem-once"), SecondCommitFault::epochError, true);
        ch.qos.logback.classic.Logger processorLog =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(RunProcessor.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        processorLog.addAppender(lines);
        Throwable stopped;
        try {
            stopped = job.runUntil(
                    counters -> counters.caughtUp && job.summaries().size() == RUNS);
        } finally {
            processorLog.detachAppender(lines);
        }

        assertNull(stopped, () -> "the job stopped: " + stopped);
        assertTrue(job.counters.aborts.get() >= 1, "the transaction was aborted: " + job.counters.aborts.get());
        assertEquals(job.unreadable, job.counters.problems.get(), "each unreadable record, once");
        assertEquals(
                job.unreadable,
                lines.list.stream()
                        .filter(e -> e.getFormattedMessage().startsWith("skipped"))
                        .count(),
                "each unreadable record logged once");
        assertEquals(job.expected, job.summaries());
    }

    /**
     * The job asked to stop while it retries a commit whose answer did not come in time, the transaction in fact
     * committed: its problems are counted and logged once, neither lost nor met again by the next run. Before, they
     * were dropped with the transaction's other pending work, and the next run, going on past that commit, never met
     * them again: the output was right, the count and the lines naming the runs lost.
     */
    @Test
    void aProblemInATransactionThatCommittedThoughItsCommitFailedIsCountedOnce(KafkaBroker broker) throws Exception {
        AtomicReference<Job> stopping = new AtomicReference<>();
        Job job = new Job(
                broker,
                Job.newConfig(broker, "lost-answer"),
                real -> new SecondCommitFault(real, () -> {
                    real.commitTransaction();
                    stopping.get().stop();
                    throw new TimeoutException("Timeout expired after 60000ms while awaiting EndTxn(COMMIT)");
                }),
                true);
        stopping.set(job);
        ch.qos.logback.classic.Logger processorLog =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(RunProcessor.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        processorLog.addAppender(lines);
        Throwable stopped;
        Throwable resumed;
        try {
            stopped = job.runUntil(counters -> false);
            resumed = job.runUntil(
                    counters -> counters.caughtUp && job.summaries().size() == RUNS);
        } finally {
            processorLog.detachAppender(lines);
        }

        assertNull(stopped, () -> "the job stopped on an error: " + stopped);
        assertNull(resumed, () -> "the resumed job stopped on an error: " + resumed);
        assertTrue(job.producer.happened(), "the commit's answer was lost");
        assertEquals(job.unreadable, job.counters.problems.get(), "each unreadable record, once");
        assertEquals(
                job.unreadable,
                lines.list.stream()
                        .filter(e -> e.getFormattedMessage().startsWith("skipped"))
                        .count(),
                "each unreadable record logged once");
        assertEquals(job.expected, job.summaries());
    }

    /**
     * A commit that comes after the transaction's timeout (the job's thread or its coordinator's broker away longer
     * than {@code transaction.timeout.ms}, here 3 s): the coordinator has aborted the transaction and bumped the
     * epoch, and a 4.4 broker answers the late commit with a fencing. Nobody else has the job's transactional id:
     * the job makes a new producer, rewinds to its last commit and goes on, every run summarised once. Before, it
     * stopped as fenced, and stayed stopped until restarted.
     */
    @Test
    void aTransactionTheCoordinatorAbortedForItsTimeoutIsDoneAgainNotTakenForAFencing(KafkaBroker broker)
            throws Exception {
        AnalyticsConfig config = Job.newConfig(broker, "timeout");
        Job job = new Job(
                broker,
                config,
                Map.of("transaction.timeout.ms", "3000"),
                real -> new SecondCommitFault(real, () -> awaitAbortedByTheCoordinator(broker, config)));

        Throwable stopped =
                job.runUntil(counters -> counters.caughtUp && job.summaries().size() == RUNS);

        assertNull(stopped, () -> "the job stopped on a transaction its coordinator timed out: " + stopped);
        assertTrue(job.producer.happened(), "the commit came after the coordinator aborted the transaction");
        assertEquals(job.expected, job.summaries());
    }

    /**
     * {@code InvalidTxnStateException} in a transaction younger than its timeout is what Kafka 4.4 answers a commit that
     * raced another instance's {@code initTransactions}: the job stops as before. Re-initialising would fence that
     * instance back, and the group would then stop both.
     */
    @Test
    void anInvalidTxnStateInAYoungTransactionStopsTheJobAsATakeover(KafkaBroker broker) throws Exception {
        Job job = new Job(
                broker,
                Job.newConfig(broker, "race"),
                real -> new SecondCommitFault(real, () -> {
                    throw new InvalidTxnStateException(
                            "The producer attempted a transactional operation in an invalid state.");
                }));

        Throwable stopped = job.runUntil(counters -> false);

        assertNotNull(stopped, "the job must stop");
        assertTrue(TransactionalErrors.inChain(stopped, InvalidTxnStateException.class), () -> "stopped on " + stopped);
        assertEquals(1, job.counters.transactions.get(), "only the first transaction committed");
    }

    private static void awaitAbortedByTheCoordinator(KafkaBroker broker, AnalyticsConfig config) {
        Set<TransactionState> aborted = Set.of(TransactionState.PREPARE_ABORT, TransactionState.COMPLETE_ABORT);
        String id = config.transactionalId();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            await("the coordinator aborts the open transaction")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> aborted.contains(admin.describeTransactions(List.of(id))
                            .description(id)
                            .get()
                            .state()));
        }
    }

    /**
     * Another producer with the job's transactional id starts while the job has a transaction open (a second
     * instance with the same id): whatever the broker makes the job's producer see (a 4.4 broker: a
     * {@code ProducerFencedException} at the commit), the job stops as fenced; what it committed before stays.
     */
    @Test
    void aSecondProducerWithTheSameTransactionalIdStopsTheJobAsFenced(KafkaBroker broker) throws Exception {
        AnalyticsConfig config = Job.newConfig(broker, "fenced");
        Job job = new Job(
                broker,
                config,
                real -> new SecondCommitFault(real, () -> {
                    try (KafkaProducer<byte[], byte[]> usurper = JobClients.producer(Job.kafka(broker), config)) {
                        usurper.initTransactions();
                    }
                }));

        Throwable stopped = job.runUntil(counters -> false);

        assertNotNull(stopped, "the fenced job must stop");
        log.info("a fenced analytics job sees: {}", stopped.toString());
        assertEquals(
                TransactionalErrors.Action.FENCED,
                TransactionalErrors.classify(TransactionalErrors.Call.ABORT, stopped),
                () -> "stopped on " + stopped);
        assertEquals(1, job.counters.transactions.get(), "only the first transaction committed");
        assertTrue(job.expected.keySet().containsAll(job.summaries().keySet()), "the first transaction's summaries");
    }

    /** One job loop over a log of {@link #RUNS} synthetic runs, with its producer wrapped. */
    private static final class Job {
        final Map<String, RunSummary> expected;
        final KafkaClientSettings kafka;
        final AnalyticsConfig config;
        final JobCounters counters = new JobCounters();
        final SecondCommitFault producer;
        private final KafkaBroker broker;
        /** The faulty producer is the first one of the job's first run only. */
        private final AtomicBoolean faultyUnused = new AtomicBoolean(true);
        /** The running flag of the current {@link #runUntil}. */
        private volatile AtomicBoolean running = new AtomicBoolean();

        /** How many unreadable records the log has. */
        final long unreadable;

        Job(KafkaBroker broker, AnalyticsConfig config, Function<Producer<byte[], byte[]>, SecondCommitFault> wrap) {
            this(broker, config, Map.of(), wrap, false);
        }

        Job(
                KafkaBroker broker,
                AnalyticsConfig config,
                Function<Producer<byte[], byte[]>, SecondCommitFault> wrap,
                boolean withUnreadable) {
            this(broker, config, Map.of(), wrap, withUnreadable);
        }

        Job(
                KafkaBroker broker,
                AnalyticsConfig config,
                Map<String, String> properties,
                Function<Producer<byte[], byte[]>, SecondCommitFault> wrap) {
            this(broker, config, properties, wrap, false);
        }

        Job(
                KafkaBroker broker,
                AnalyticsConfig config,
                Map<String, String> properties,
                Function<Producer<byte[], byte[]>, SecondCommitFault> wrap,
                boolean withUnreadable) {
            this.broker = broker;
            this.config = config;
            broker.createTopic(config.chunkTopic(), 2);
            this.expected = new HashMap<>();
            this.unreadable = append(broker.bootstrapServers(), config.chunkTopic(), expected, withUnreadable);
            this.kafka = new KafkaClientSettings(broker.bootstrapServers(), properties, Duration.ofSeconds(30));
            this.producer = wrap.apply(JobClients.producer(kafka, config));
        }

        /** A job's config on a topic of its own; small polls, so that the log takes several transactions. */
        static AnalyticsConfig newConfig(KafkaBroker broker, String name) {
            return AnalyticsConfig.defaults(broker.uniqueTopic(name))
                    .withGroup(broker.uniqueId(name), "0")
                    .withMaxPollRecords(50);
        }

        static KafkaClientSettings kafka(KafkaBroker broker) {
            return new KafkaClientSettings(broker.bootstrapServers(), Map.of(), Duration.ofSeconds(30));
        }

        Map<String, RunSummary> summaries() {
            return SummaryTopicReader.latest(
                    broker.bootstrapServers(), TopicConventions.summaryTopic(config.chunkTopic()));
        }

        /** The job's producers: the faulty one first, real ones after it (a new one replaces one in error). */
        private JobProducers producers() {
            JobProducers real = JobClients.producers(kafka, config);
            return new JobProducers(
                    () -> faultyUnused.getAndSet(false) ? producer : real.make().get(), real.transactionTimeout());
        }

        /** Asks the running loop to stop, as a job's {@code close()} does before it wakes the consumer up. */
        void stop() {
            running.set(false);
        }

        /** Runs the loop until {@code done} or until it stops by itself; returns what stopped it, or null. */
        Throwable runUntil(Predicate<JobCounters> done) throws InterruptedException {
            AtomicBoolean running = new AtomicBoolean(true);
            this.running = running;
            AtomicReference<Throwable> stopped = new AtomicReference<>();
            AtomicBoolean ended = new AtomicBoolean();
            try (Admin admin = JobClients.admin(kafka);
                    KafkaConsumer<byte[], byte[]> group = JobClients.groupConsumer(kafka, config);
                    KafkaConsumer<byte[], byte[]> restore = JobClients.restoreConsumer(kafka)) {
                SummaryTopicSetup.ensure(admin, config.chunkTopic(), config.summaryTopic(), kafka.timeout());
                JobLoop<RunSummaryFold> loop = new JobLoop<>(
                        config,
                        new SummaryRunFold(),
                        group,
                        producers(),
                        restore,
                        admin,
                        kafka.timeout(),
                        counters,
                        1024 * 1024,
                        RunPartitions.read(restore, config.chunkTopic(), kafka.timeout()));
                Thread thread = Thread.ofPlatform().name("analytics-loop").start(() -> {
                    try {
                        loop.run(running::get);
                    } catch (WakeupException e) {
                        // stopped below
                    } catch (Throwable t) {
                        stopped.set(t);
                    } finally {
                        ended.set(true);
                    }
                });
                try {
                    await(() -> ended.get() || done.test(counters));
                } finally {
                    running.set(false);
                    group.wakeup();
                    thread.join(30_000);
                }
            }
            return stopped.get();
        }

        /**
         * Appends {@link #RUNS} runs to {@code topic}, their summaries into {@code expected}; with {@code unreadable},
         * a record without headers or key (of no run) after every {@value #UNREADABLE_EVERY}th, in each partition in
         * turn. Returns how many unreadable records it appended.
         */
        private static long append(
                String bootstrap, String topic, Map<String, RunSummary> expected, boolean unreadable) {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            long unreadableCount = 0;
            for (int i = 0; i < RUNS; i++) {
                List<ChunkLogRecord> run = SyntheticRuns.run(i);
                expected.put(run.getFirst().runId(), RunSummaries.ofRecords(run));
                for (ChunkLogRecord record : run) {
                    ProducerRecord<byte[], byte[]> good = record.toProducerRecord(topic, null);
                    records.add(good);
                    if (unreadable && records.size() % (UNREADABLE_EVERY + 1) == UNREADABLE_EVERY) {
                        int partition = (int) (unreadableCount % 2);
                        records.add(new ProducerRecord<>(topic, partition, null, "not a record".getBytes(UTF_8)));
                        unreadableCount++;
                    }
                }
            }
            try (ChunkLogProducer producer = new ChunkLogProducer(bootstrap, topic)) {
                producer.appendRaw(records);
            }
            return unreadableCount;
        }

        private static void await(BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out waiting for the job");
                }
                Thread.sleep(50);
            }
        }
    }
}
