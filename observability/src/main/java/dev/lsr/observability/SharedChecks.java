package dev.lsr.observability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A probe's checks, run once at a time however many requests ask (single flight): the first request runs them on
 * its own thread, one arriving meanwhile waits for that run's report instead of starting another. So probes at once
 * (a misconfigured kubelet, a scraper, anyone on the port) cost one run of the checks, e.g. one set of connections
 * to Kafka ({@link TcpProbe}), not one per request.
 */
final class SharedChecks {

    private final Map<String, HealthCheck> checks;
    private final AtomicReference<CompletableFuture<HealthReport>> running = new AtomicReference<>();

    /** @param checks by name, in the order the report lists them */
    SharedChecks(Map<String, HealthCheck> checks) {
        this.checks = new LinkedHashMap<>(checks);
    }

    /**
     * The report of the run going on, or of a new one when none is.
     *
     * @throws InterruptedException when interrupted while waiting for another request's run (the server stopping)
     */
    HealthReport report() throws InterruptedException {
        CompletableFuture<HealthReport> mine = new CompletableFuture<>();
        CompletableFuture<HealthReport> current = running.compareAndExchange(null, mine);
        if (current != null) {
            return await(current);
        }
        try {
            HealthReport report = HealthReport.of(checks);
            mine.complete(report);
            return report;
        } catch (Throwable e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.set(null);
        }
    }

    private static HealthReport await(CompletableFuture<HealthReport> run) throws InterruptedException {
        try {
            return run.get();
        } catch (ExecutionException e) {
            // HealthReport.of turns a check's exception into a down result: only an Error gets here
            throw new IllegalStateException(
                    "the health checks failed: " + e.getCause().getClass().getSimpleName());
        }
    }
}
