package dev.lsr.consumer.analytics;

import dev.lsr.consumer.analytics.internal.JobClients;
import dev.lsr.consumer.analytics.internal.JobCounters;
import dev.lsr.consumer.analytics.internal.JobLoop;
import dev.lsr.consumer.analytics.internal.SummaryTopicSetup;
import dev.lsr.consumer.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A continuous analytics job: consumes the chunk log in a consumer group and keeps one record per
 * run in a compacted summary topic, exactly once (see {@code docs/analytics.md}). Runs on the
 * thread that calls {@link #run()}; {@link #close()} stops it from any thread. States:
 * {@code CREATED -> RUNNING -> STOPPING -> STOPPED}, or {@code FAILED} (one ERROR line says why).
 *
 * @param <S> the fold's per-run state
 */
public final class AnalyticsJob<S> implements Runnable, AutoCloseable {

    /** The lifecycle of a job; each transition is logged once at INFO. */
    public enum State { CREATED, RUNNING, STOPPING, STOPPED, FAILED }

    /** A snapshot of what the job did so far. */
    public record Stats(State state, long records, long summariesWritten, long transactions, long aborts,
                        long problems, boolean caughtUp) {
    }

    private static final Logger log = LoggerFactory.getLogger(AnalyticsJob.class);

    private final AnalyticsConfig config;
    private final KafkaClientSettings kafka;
    private final RunFold<S> fold;
    private final AtomicReference<State> state = new AtomicReference<>(State.CREATED);
    private final JobCounters counters = new JobCounters();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    public AnalyticsJob(AnalyticsConfig config, KafkaClientSettings kafka, RunFold<S> fold) {
        this.config = config;
        this.kafka = kafka;
        this.fold = fold;
    }

    @Override
    public void run() {
        if (!state.compareAndSet(State.CREATED, State.RUNNING)) {
            throw new IllegalStateException("analytics job is " + state.get() + ", not CREATED");
        }
        log.info("analytics job {} on {} -> {}: CREATED -> RUNNING", config.groupId(), config.chunkTopic(),
                config.summaryTopic());
        try (Admin admin = JobClients.admin(kafka);
             KafkaConsumer<byte[], byte[]> groupConsumer = JobClients.groupConsumer(kafka, config);
             KafkaConsumer<byte[], byte[]> restoreConsumer = JobClients.restoreConsumer(kafka);
             KafkaProducer<byte[], byte[]> producer = JobClients.producer(kafka, config)) {
            consumer = groupConsumer;
            SummaryTopicSetup.ensure(admin, config.chunkTopic(), config.summaryTopic(), kafka.timeout());
            new JobLoop<>(config, fold, groupConsumer, producer, restoreConsumer, admin, kafka.timeout(), counters)
                    .run(() -> state.get() == State.RUNNING);
        } catch (WakeupException e) {
            // close() woke the consumer up
        } catch (RuntimeException e) {
            State before = state.getAndSet(State.FAILED);
            log.error("analytics job {}: {} -> FAILED: {}", config.groupId(), before, kafka.redact(e.toString()));
            throw e;
        } finally {
            consumer = null;
            State before = state.get();
            if (before != State.FAILED && state.compareAndSet(before, State.STOPPED)) {
                log.info("analytics job {}: {} -> STOPPED ({})", config.groupId(), before, stats());
            }
            finished.countDown();
        }
    }

    /** Stops the loop at its next poll (an open transaction is aborted) and waits for it. */
    @Override
    public void close() {
        if (state.compareAndSet(State.RUNNING, State.STOPPING)) {
            KafkaConsumer<byte[], byte[]> current = consumer;
            if (current != null) {
                current.wakeup();
            }
        } else if (state.compareAndSet(State.CREATED, State.STOPPED)) {
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
            if (state.get() == State.FAILED || state.get() == State.STOPPED) {
                return false;
            }
            Thread.sleep(50);
        }
        return counters.caughtUp;
    }

    public State state() {
        return state.get();
    }

    public Stats stats() {
        return new Stats(state.get(), counters.records.get(), counters.summariesWritten.get(),
                counters.transactions.get(), counters.aborts.get(), counters.problems.get(), counters.caughtUp);
    }
}
