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
 * set of connections to Kafka ({@link TcpProbe}), not one per request. A run calls its checks at once, each on a
 * virtual thread of its own, and waits for them {@link #WAIT_AT_MOST}: a check that has not answered by then is down,
 * "still running after 5 s", the others as they answered. So a run, and every request waiting for it, ends within
 * the bound, and the next request starts a new run that calls every check again, even when one never returns (its
 * thread is left to it; {@link HealthCheck} asks checks not to block).
 */
final class SharedChecks {

    /** How long a run waits for its checks: a kubelet's probe gives up after its own timeout anyway. */
    static final Duration WAIT_AT_MOST = Duration.ofSeconds(5);

    private static final HealthCheck.Result STILL_RUNNING =
            HealthCheck.Result.failing("check still running after " + WAIT_AT_MOST.toSeconds() + " s");

    private final Map<String, HealthCheck> checks;
    private final AtomicReference<CompletableFuture<HealthReport>> running = new AtomicReference<>();

    /** @param checks by name, in the order the report lists them */
    SharedChecks(Map<String, HealthCheck> checks) {
        this.checks = new LinkedHashMap<>(checks);
    }

    /**
     * The report of the run going on, or of a new one when none is; ready within {@link #WAIT_AT_MOST} of the run's
     * start.
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
        try {
            return current.get();
        } catch (ExecutionException e) {
            // a run turns whatever its checks do into results: only an Error of its own gets here
            throw new IllegalStateException(
                    "the health checks failed: " + e.getCause().getClass().getSimpleName());
        }
    }

    /**
     * Runs the checks, then ends the run before its waiters hear of it: a request asking once they have their answer
     * starts a new run, never gets this one's report again.
     */
    private void run(CompletableFuture<HealthReport> run) {
        HealthReport report;
        try {
            report = callAll();
        } catch (Throwable e) {
            running.compareAndSet(run, null);
            run.completeExceptionally(e);
            throw e;
        }
        running.compareAndSet(run, null);
        run.complete(report);
    }

    /** Every check called at once; each result as it answered by the deadline, or {@link #STILL_RUNNING}. */
    private HealthReport callAll() {
        long deadline = System.nanoTime() + WAIT_AT_MOST.toNanos();
        Map<String, CompletableFuture<HealthCheck.Result>> calls = new LinkedHashMap<>();
        checks.forEach((name, check) -> calls.put(name, call(name, check)));
        Map<String, HealthCheck.Result> results = new LinkedHashMap<>();
        boolean up = true;
        for (Map.Entry<String, CompletableFuture<HealthCheck.Result>> call : calls.entrySet()) {
            HealthCheck.Result result = resultBy(call.getValue(), deadline);
            results.put(call.getKey(), result);
            up &= result.up();
        }
        return new HealthReport(up, results);
    }

    private static CompletableFuture<HealthCheck.Result> call(String name, HealthCheck check) {
        CompletableFuture<HealthCheck.Result> result = new CompletableFuture<>();
        Thread.ofVirtual().name("health-check-" + name).start(() -> {
            try {
                result.complete(HealthReport.resultOf(check));
            } catch (Throwable e) {
                result.completeExceptionally(e);
                throw e;
            }
        });
        return result;
    }

    private static HealthCheck.Result resultBy(CompletableFuture<HealthCheck.Result> call, long deadline) {
        try {
            return call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return STILL_RUNNING;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return STILL_RUNNING;
        } catch (ExecutionException e) {
            return HealthReport.failed(e.getCause());
        }
    }
}
