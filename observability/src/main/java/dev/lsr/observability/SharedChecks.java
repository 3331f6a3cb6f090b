package dev.lsr.observability;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A probe's checks, run once at a time however many requests ask (single flight): the first request starts a run
 * (on a virtual thread of its own), one arriving meanwhile waits for that run's report instead of starting another.
 * So probes at once (a misconfigured kubelet, a scraper, anyone on the port) cost one run of the checks, e.g. one
 * set of connections to Kafka ({@link TcpProbe}), not one per request. No request waits for a run longer than
 * {@link #WAIT_AT_MOST}: past it, it is answered down ("still running after 5 s") while the run goes on, and the next
 * request after the run ends starts a new one. So a slow check makes the probe fail instead of piling up requests.
 */
final class SharedChecks {

    /** How long a request waits for the checks: a kubelet's probe gives up after its own timeout anyway. */
    static final Duration WAIT_AT_MOST = Duration.ofSeconds(5);

    private final Map<String, HealthCheck> checks;
    private final AtomicReference<CompletableFuture<HealthReport>> running = new AtomicReference<>();

    /** @param checks by name, in the order the report lists them */
    SharedChecks(Map<String, HealthCheck> checks) {
        this.checks = new LinkedHashMap<>(checks);
    }

    /**
     * The report of the run going on, or of a new one when none is; a down report when the run does not end within
     * {@link #WAIT_AT_MOST}.
     *
     * @throws InterruptedException when interrupted while waiting (the server stopping)
     */
    HealthReport report() throws InterruptedException {
        CompletableFuture<HealthReport> mine = new CompletableFuture<>();
        CompletableFuture<HealthReport> current = running.compareAndExchange(null, mine);
        if (current == null) {
            current = mine;
            Thread.ofVirtual().name("health-checks").start(() -> run(mine));
        }
        return await(current);
    }

    private void run(CompletableFuture<HealthReport> run) {
        try {
            run.complete(HealthReport.of(checks));
        } catch (Throwable e) {
            run.completeExceptionally(e);
            throw e;
        } finally {
            running.set(null);
        }
    }

    private HealthReport await(CompletableFuture<HealthReport> run) throws InterruptedException {
        try {
            return run.get(WAIT_AT_MOST.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return stillRunning();
        } catch (ExecutionException e) {
            // HealthReport.of turns a check's exception into a down result: only an Error gets here
            throw new IllegalStateException(
                    "the health checks failed: " + e.getCause().getClass().getSimpleName());
        }
    }

    /** Every check down: which one is slow is not known until the run ends. */
    private HealthReport stillRunning() {
        HealthCheck.Result result =
                HealthCheck.Result.failing("check still running after " + WAIT_AT_MOST.toSeconds() + " s");
        Map<String, HealthCheck.Result> results = new LinkedHashMap<>();
        checks.keySet().forEach(name -> results.put(name, result));
        return new HealthReport(false, results);
    }
}
