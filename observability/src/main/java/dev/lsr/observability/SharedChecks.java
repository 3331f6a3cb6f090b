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
 * set of connections to Kafka ({@link TcpProbe}), not one per request. A run calls its checks at once and waits for
 * them {@link #WAIT_AT_MOST}: a check that has not answered by then is down, "still running after 5 s", the others
 * as they answered. So a run, and every request waiting for it, ends within the bound. Each check is single flight
 * too ({@link CheckCalls}): a run calls it again only once its last call returned, and waits for that call while it
 * has not. So a check that never returns holds one virtual thread, not one per run ({@link HealthCheck} asks checks
 * not to block).
 */
final class SharedChecks {

    /** How long a run waits for its checks: a kubelet's probe gives up after its own timeout anyway. */
    static final Duration WAIT_AT_MOST = Duration.ofSeconds(5);

    private final Map<String, CheckCalls> checks = new LinkedHashMap<>();
    private final Duration waitAtMost;
    private final AtomicReference<CompletableFuture<HealthReport>> running = new AtomicReference<>();

    /** @param checks by name, in the order the report lists them */
    SharedChecks(Map<String, HealthCheck> checks) {
        this(checks, WAIT_AT_MOST);
    }

    /** @param waitAtMost how long a run waits for its checks ({@link #WAIT_AT_MOST}; shorter in tests) */
    SharedChecks(Map<String, HealthCheck> checks, Duration waitAtMost) {
        checks.forEach((name, check) -> this.checks.put(name, new CheckCalls(name, check)));
        this.waitAtMost = waitAtMost;
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

    /** Every check's call (a new one, or its last while that runs); each result as it answered by the deadline. */
    private HealthReport callAll() {
        long started = System.nanoTime();
        long deadline = started + waitAtMost.toNanos();
        Map<String, CheckCalls.Call> calls = new LinkedHashMap<>();
        checks.forEach((name, check) -> calls.put(name, check.call()));
        Map<String, HealthCheck.Result> results = new LinkedHashMap<>();
        boolean up = true;
        for (Map.Entry<String, CheckCalls.Call> call : calls.entrySet()) {
            HealthCheck.Result result = resultBy(call.getValue(), started, deadline);
            results.put(call.getKey(), result);
            up &= result.up();
        }
        return new HealthReport(up, results);
    }

    private HealthCheck.Result resultBy(CheckCalls.Call call, long runStarted, long deadline) {
        try {
            return call.result().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return stillRunning(call, runStarted);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return stillRunning(call, runStarted);
        } catch (ExecutionException e) {
            return HealthReport.failed(e.getCause());
        }
    }

    /** Since the bound, or since the earlier run that made the call, when this one found it still running. */
    private HealthCheck.Result stillRunning(CheckCalls.Call call, long runStarted) {
        Duration running = call.startedNanos() - runStarted < 0
                ? Duration.ofNanos(System.nanoTime() - call.startedNanos())
                : waitAtMost;
        return HealthCheck.Result.failing("check still running after " + shown(running));
    }

    private static String shown(Duration duration) {
        return duration.toSeconds() > 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
