package dev.lsr.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** A readiness check that blocks, behind a real JDK HTTP server: no request waits for it past the bound. */
class SlowCheckTest {

    private static final int REQUESTS = 10;

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
}
