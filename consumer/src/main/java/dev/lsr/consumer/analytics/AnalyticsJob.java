package dev.lsr.consumer.analytics;

import dev.lsr.consumer.analytics.internal.JobClients;
import dev.lsr.consumer.analytics.internal.JobCounters;
import dev.lsr.consumer.analytics.internal.JobLoop;
import dev.lsr.consumer.analytics.internal.SummaryTopicSetup;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import dev.lsr.consumer.reader.RunPartitions;
import dev.lsr.kernel.Lifecycle;
import dev.lsr.kernel.LifecycleState;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A continuous analytics job: consumes the chunk log in a consumer group and keeps one record per
 * run in a compacted summary topic, exactly once (see {@code docs/analytics.md}). Runs on the
 * thread that calls {@link #run()}; {@link #close()} stops it from any thread. States ({@link LifecycleState},
 * one INFO line per transition): {@code CREATED -> STARTING -> RUNNING -> STOPPING -> STOPPED}, closed
 * before it ran {@code CREATED -> STOPPED}, or {@code FAILED} (one ERROR line says why).
 *
 * @param <S> the fold's per-run state
 */
public final class AnalyticsJob<S> implements Runnable, AutoCloseable {

    /** A snapshot of what the job did so far. */
    public record Stats(
            LifecycleState state,
            long records,
            long summariesWritten,
            long transactions,
            long aborts,
            long problems,
            boolean caughtUp) {}

    private static final Logger log = LoggerFactory.getLogger(AnalyticsJob.class);

    private final AnalyticsConfig config;
    private final KafkaClientSettings kafka;
    private final RunFold<S> fold;
    private final Lifecycle lifecycle;
    private final JobCounters counters = new JobCounters();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    public AnalyticsJob(AnalyticsConfig config, KafkaClientSettings kafka, RunFold<S> fold) {
        this.config = config;
        this.kafka = kafka;
        this.fold = fold;
        this.lifecycle = new Lifecycle("analytics job " + config.groupId(), log);
    }

    @Override
    public void run() {
        lifecycle.transition(LifecycleState.CREATED, LifecycleState.STARTING);
        log.info("analytics job {} on {} -> {}", config.groupId(), config.chunkTopic(), config.summaryTopic());
        try (Admin admin = JobClients.admin(kafka);
                KafkaConsumer<byte[], byte[]> groupConsumer = JobClients.groupConsumer(kafka, config);
                KafkaConsumer<byte[], byte[]> restoreConsumer = JobClients.restoreConsumer(kafka)) {
            consumer = groupConsumer;
            SummaryTopicSetup.ensure(admin, config.chunkTopic(), config.summaryTopic(), kafka.timeout());
            int summaryLimit = Math.min(
                    JobClients.maxRequestSize(kafka),
                    SummaryTopicSetup.maxMessageBytes(admin, config.summaryTopic(), kafka.timeout()));
            if (lifecycle.tryTransition(LifecycleState.STARTING, LifecycleState.RUNNING)) {
                new JobLoop<>(
                                config,
                                fold,
                                groupConsumer,
                                JobClients.producers(kafka, config),
                                restoreConsumer,
                                admin,
                                kafka.timeout(),
                                counters,
                                summaryLimit,
                                RunPartitions.read(restoreConsumer, config.chunkTopic(), kafka.timeout()))
                        .run(() -> lifecycle.state() == LifecycleState.RUNNING);
            }
        } catch (WakeupException e) {
            // close() woke the consumer up
        } catch (RuntimeException e) {
            log.error("analytics job {} failed: {}", config.groupId(), kafka.redact(e.toString()));
            lifecycle.fail();
            throw e;
        } finally {
            consumer = null;
            // a job that stopped by itself (not closed, not failed) still passes through STOPPING
            lifecycle.tryTransition(LifecycleState.STARTING, LifecycleState.STOPPING);
            lifecycle.tryTransition(LifecycleState.RUNNING, LifecycleState.STOPPING);
            if (lifecycle.tryTransition(LifecycleState.STOPPING, LifecycleState.STOPPED)) {
                log.info("analytics job {} stopped ({})", config.groupId(), stats());
            }
            finished.countDown();
        }
    }

    /** Stops the loop at its next poll (an open transaction is aborted) and waits for it. */
    @Override
    public void close() {
        if (lifecycle.tryTransition(LifecycleState.RUNNING, LifecycleState.STOPPING)
                || lifecycle.tryTransition(LifecycleState.STARTING, LifecycleState.STOPPING)) {
            KafkaConsumer<byte[], byte[]> current = consumer;
            if (current != null) {
                current.wakeup();
            }
        } else if (lifecycle.tryTransition(LifecycleState.CREATED, LifecycleState.STOPPED)) {
            finished.countDown();
            return;
        }
        try {
            finished.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the job has read every committed record of its partitions; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!counters.caughtUp && System.nanoTime() < deadline) {
            if (lifecycle.state().isFinal()) {
                return false;
            }
            Thread.sleep(50);
        }
        return counters.caughtUp;
    }

    public LifecycleState state() {
        return lifecycle.state();
    }

    public Stats stats() {
        return new Stats(
                lifecycle.state(),
                counters.records.get(),
                counters.summariesWritten.get(),
                counters.transactions.get(),
                counters.aborts.get(),
                counters.problems.get(),
                counters.caughtUp);
    }
}
