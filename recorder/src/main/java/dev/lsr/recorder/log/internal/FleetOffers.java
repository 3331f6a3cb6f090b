package dev.lsr.recorder.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.kernel.Backoff;
import dev.lsr.kernel.TransactionalErrors;
import java.time.Duration;
import java.util.List;
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
 * offer the broker did not take is sent again, with a growing pause, until it does or this member stops: for a run
 * found only by the ended-run sweep, a hand-over, or a run whose records were dropped uncommitted, nothing else
 * would offer it again, and the run would never be recorded. A run has at most one offer waiting to be sent again
 * (later offers of it only update its mode), so a long outage costs one retry per run, not one per offer; one WARN
 * line when a run starts waiting, and one at close counting those never sent.
 */
final class FleetOffers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetOffers.class);
    /** From 1 s to 1 min: an unreachable broker fails a send only after {@code delivery.timeout.ms} anyway. */
    static final Backoff RETRY = Backoff.doubling(Duration.ofSeconds(1), Duration.ofMinutes(1));
    /** As many runs as the watcher remembers offering ({@code RecentOffers}); beyond, an offer is not retried. */
    static final int MAX_WAITING = 100_000;

    private final String topic;
    private final Producer<byte[], byte[]> producer;
    private final Backoff retry;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "lsr-fleet-offers");
        thread.setDaemon(true);
        return thread;
    });
    /** The runs whose offer failed and waits to be sent again, with the mode of their latest offer. */
    private final ConcurrentHashMap<String, String> waiting = new ConcurrentHashMap<>();

    private volatile boolean closing;

    FleetOffers(String topic, Producer<byte[], byte[]> producer, Backoff retry) {
        this.topic = topic;
        this.producer = producer;
        this.retry = retry;
    }

    /** Offers the run ({@code mode}: how it was found); returns at once. */
    void offer(String runId, String mode) {
        if (waiting.replace(runId, mode) != null) {
            return; // its offer waits to be sent again: that send carries this mode
        }
        send(runId, mode, retry, false);
    }

    /** The number of runs whose offer waits to be sent again. */
    int waiting() {
        return waiting.size();
    }

    private void send(String runId, String mode, Backoff pause, boolean again) {
        if (closing) {
            waiting.putIfAbsent(runId, mode); // counted at close
            return;
        }
        try {
            producer.send(new ProducerRecord<>(topic, runId.getBytes(UTF_8), mode.getBytes(UTF_8)), (metadata, e) -> {
                if (e == null) {
                    if (again) {
                        waiting.remove(runId);
                        LOG.info("run {}: offered to the fleet after all", runId);
                    }
                    LOG.debug("run {}: offered to the fleet (partition {})", runId, metadata.partition());
                } else {
                    failed(runId, mode, pause, again, e);
                }
            });
        } catch (RuntimeException e) {
            // the producer closed (this log stops) or its metadata did not come within max.block.ms
            failed(runId, mode, pause, again, e);
        }
    }

    private void failed(String runId, String mode, Backoff pause, boolean again, Exception e) {
        if (closing) {
            waiting.putIfAbsent(runId, mode); // counted at close
            return;
        }
        if (!again) {
            if (waiting.size() >= MAX_WAITING) {
                LOG.warn(
                        "run {}: could not offer it to the fleet ({}), and {} offers wait already: not sent again",
                        runId,
                        TransactionalErrors.describe(e),
                        MAX_WAITING);
                return;
            }
            if (waiting.putIfAbsent(runId, mode) != null) {
                return; // another offer of the run waits already: one retry per run
            }
            LOG.warn(
                    "run {}: could not offer it to the fleet: {}; offering it again until the broker takes it",
                    runId,
                    TransactionalErrors.describe(e));
        } else {
            LOG.debug("run {}: could not offer it to the fleet again: {}", runId, TransactionalErrors.describe(e));
        }
        try {
            retries.schedule(
                    () -> {
                        String latest = waiting.get(runId);
                        if (latest != null) {
                            send(runId, latest, pause.next(), true);
                        }
                    },
                    pause.delay().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // this log closes: the run stays in waiting and is counted there
        }
    }

    /** Stops sending again, and closes the producer within {@code timeout} (sends in flight may still complete). */
    void close(Duration timeout) {
        closing = true;
        retries.shutdownNow();
        producer.close(timeout);
        List<String> unsent = List.copyOf(waiting.keySet());
        if (!unsent.isEmpty()) {
            LOG.warn(
                    "{} run(s) offered to the fleet were never sent before this recorder stopped (first {}); a"
                            + " watcher finds them again while Letta lists them as active",
                    unsent.size(),
                    unsent.subList(0, Math.min(5, unsent.size())));
        }
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
