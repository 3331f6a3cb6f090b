package dev.lsr.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A readiness check that blocks, behind a real JDK HTTP server: no request waits for it past the bound. */
class SlowCheckTest {

    private static final int REQUESTS = 10;
    private static final int RUNS = 5;

    /**
     * The first request starts the checks, the others arrive while they run and share that run (single flight);
     * the check blocks on a latch that opens only at the end. Every request is answered 503 within the bound (plus a
     * margin), naming the bound. Before, every one of them waited for the check with no bound of its own.
     */
    @Test
    void requestsWaitingForABlockedCheckAreAnsweredDownWithinTheBound() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HealthCheck blocks = () -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return HealthCheck.Result.ok();
        };
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HttpClient http = HttpClient.newHttpClient();
        try (ObservabilityServer server = ObservabilityServer.start(0, registry, Map.of("slow", blocks))) {
            URI ready = URI.create("http://127.0.0.1:" + server.port() + Endpoints.READY);
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            answers.add(http.sendAsync(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString()));
            assertTrue(entered.await(10, TimeUnit.SECONDS), "the check runs");
            for (int i = 1; i < REQUESTS; i++) {
                answers.add(
                        http.sendAsync(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString()));
            }
            long boundMillis = SharedChecks.WAIT_AT_MOST.toMillis();
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response;
                try {
                    response = answer.get(boundMillis + 5_000, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    fail("a readiness request still waits for the blocked check after " + (boundMillis + 5_000)
                            + " ms");
                    return;
                }
                assertEquals(503, response.statusCode(), response.body());
                assertTrue(response.body().contains("still running after"), response.body());
            }
        } finally {
            release.countDown();
        }
    }
    /**
     * A slow check among quick ones: the report names the slow one "still running" and gives the others as they
     * answered. Before, past the bound every check was reported down "still running", the quick ones too.
     */
    @Test
    void theReportNamesTheSlowCheckAndGivesTheOthersAsTheyAnswered() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Map<String, HealthCheck> checks = new LinkedHashMap<>();
        checks.put("quick", HealthCheck.Result::ok);
        checks.put("slow", () -> {
            awaitQuietly(release);
            return HealthCheck.Result.ok();
        });
        checks.put("down", () -> HealthCheck.Result.failing("kafka unreachable"));
        try {
            HealthReport report = new SharedChecks(checks).report();
            assertEquals(
                    "{\"status\":\"DOWN\",\"checks\":{\"quick\":{\"status\":\"UP\"},"
                            + "\"slow\":{\"status\":\"DOWN\",\"detail\":\"check still running after 5 s\"},"
                            + "\"down\":{\"status\":\"DOWN\",\"detail\":\"kafka unreachable\"}}}",
                    report.toJson());
        } finally {
            release.countDown();
        }
    }

    /**
     * A check whose first call does not return in time, then does: a run after it returned calls the check again.
     * (Before a check is called once at a time, a stuck run kept its slot, so every later report was that run's "still
     * running" and the checks were never called again.)
     */
    @Test
    void aCheckIsCalledAgainOnceItsStuckCallReturned() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        HealthCheck stuckOnce = () -> {
            if (calls.incrementAndGet() == 1) {
                awaitQuietly(release);
            }
            return HealthCheck.Result.ok();
        };
        SharedChecks shared = new SharedChecks(Map.of("stuck-once", stuckOnce), Duration.ofSeconds(2));
        try {
            assertFalse(shared.report().up(), "the first call does not return");
            release.countDown();
            // the next run gets that call's answer (or calls again, once it returned); the one after calls again
            assertTrue(shared.report().up(), "the first call returned");
            HealthReport next = shared.report();
            assertTrue(next.up(), next.toJson());
            assertTrue(calls.get() >= 2, "called again once its first call returned: " + calls.get() + " call(s)");
        } finally {
            release.countDown();
        }
    }

    /**
     * A check whose call never returns, asked by run after run: it is called once, and every run reports that same
     * call still running. Before, each run called it again on a new virtual thread, which parked for good: one thread
     * left behind per run, for as long as the process lives.
     */
    @Test
    void aCheckThatNeverReturnsIsCalledOnceHoweverManyRunsAskForIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        HealthCheck stuck = () -> {
            calls.incrementAndGet();
            awaitQuietly(release);
            return HealthCheck.Result.ok();
        };
        SharedChecks shared = new SharedChecks(Map.of("stuck", stuck), Duration.ofMillis(200));
        try {
            for (int run = 0; run < RUNS; run++) {
                HealthReport report = shared.report();
                assertFalse(report.up(), report.toJson());
                assertTrue(report.toJson().contains("still running after"), report.toJson());
            }
            assertEquals(1, calls.get(), "calls of the stuck check after " + RUNS + " runs");
        } finally {
            release.countDown();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
