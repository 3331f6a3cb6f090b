package dev.lsr.recorder.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.kernel.Backoff;
import dev.lsr.kernel.TransactionalErrors;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet member's offers of runs to the member that owns each run's partition, through the intake topic. An
 * offer is sent again, with a growing pause, until the broker takes it or this member stops: for a run found only
 * by the ended-run sweep, a hand-over, or a run whose records were dropped uncommitted, nothing else would offer it
 * again, and the run would never be recorded. Offers not yet sent when the member stops are logged at close.
 */
final class FleetOffers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetOffers.class);
    /** From 1 s to 1 min: an unreachable broker fails a send only after {@code delivery.timeout.ms} anyway. */
    static final Backoff RETRY = Backoff.doubling(Duration.ofSeconds(1), Duration.ofMinutes(1));

    private final String topic;
    private final Producer<byte[], byte[]> producer;
    private final Backoff retry;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "lsr-fleet-offers");
        thread.setDaemon(true);
        return thread;
    });
    /** Runs whose last offer failed and waits to be sent again. */
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();

    private volatile boolean closing;

    FleetOffers(String topic, Producer<byte[], byte[]> producer, Backoff retry) {
        this.topic = topic;
        this.producer = producer;
        this.retry = retry;
    }

    /** Offers the run ({@code mode}: how it was found); returns at once. */
    void offer(String runId, String mode) {
        send(runId, mode, retry, true);
    }

    private void send(String runId, String mode, Backoff pause, boolean first) {
        if (closing) {
            LOG.warn("run {}: not offered to the fleet: this recorder stops", runId);
            return;
        }
        try {
            producer.send(new ProducerRecord<>(topic, runId.getBytes(UTF_8), mode.getBytes(UTF_8)), (metadata, e) -> {
                if (e == null) {
                    LOG.debug("run {}: offered to the fleet (partition {})", runId, metadata.partition());
                } else {
                    failed(runId, mode, pause, first, e);
                }
            });
        } catch (RuntimeException e) {
            // the producer closed (this log stops) or its metadata did not come within max.block.ms
            failed(runId, mode, pause, first, e);
        }
    }

    private void failed(String runId, String mode, Backoff pause, boolean first, Exception e) {
        if (closing) {
            LOG.warn(
                    "run {}: could not offer it to the fleet before this recorder stopped: {}",
                    runId,
                    TransactionalErrors.describe(e));
            return;
        }
        Duration delay = pause.delay();
        if (first) {
            LOG.warn(
                    "run {}: could not offer it to the fleet: {}; offering it again until the broker takes it",
                    runId,
                    TransactionalErrors.describe(e));
        } else {
            LOG.debug("run {}: could not offer it to the fleet again: {}", runId, TransactionalErrors.describe(e));
        }
        waiting.add(runId);
        try {
            retries.schedule(
                    () -> {
                        waiting.remove(runId);
                        send(runId, mode, pause.next(), false);
                    },
                    delay.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            LOG.warn("run {}: could not offer it to the fleet before this recorder stopped", runId);
        }
    }

    /** Stops sending again, and closes the producer within {@code timeout} (sends in flight may still complete). */
    void close(Duration timeout) {
        closing = true;
        retries.shutdownNow();
        producer.close(timeout);
        List<String> unsent = List.copyOf(waiting);
        if (!unsent.isEmpty()) {
            LOG.warn(
                    "{} run(s) whose offer to the fleet had failed were not sent before this recorder stopped (first"
                            + " {}); a watcher finds them again while Letta lists them as active",
                    unsent.size(),
                    unsent.subList(0, Math.min(5, unsent.size())));
        }
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
