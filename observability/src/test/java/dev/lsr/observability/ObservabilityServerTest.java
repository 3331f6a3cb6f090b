package dev.lsr.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The endpoints over a real JDK HTTP server on a free port, read with the JDK's HTTP client. */
class ObservabilityServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesPrometheusTextAndFlipsReadinessWithItsChecks() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter chunks = Counter.builder("lsr.test.chunks.appended").register(registry);
        Timer.builder("lsr.test.commit.latency").register(registry).record(Duration.ofMillis(5));
        AtomicBoolean kafka = new AtomicBoolean(true);
        Map<String, HealthCheck> readiness = new LinkedHashMap<>();
        readiness.put("kafka", () -> HealthCheck.Result.of(kafka.get(), "connection refused \"x\""));
        readiness.put("letta", HealthCheck.Result::ok);
        try (ObservabilityServer server = ObservabilityServer.start(0, registry, readiness)) {
            chunks.increment(3);
            HttpResponse<String> metrics = get(server, Endpoints.METRICS);
            assertEquals(200, metrics.statusCode());
            assertTrue(
                    metrics.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
            assertTrue(metrics.body().contains("lsr_test_chunks_appended_total 3.0"), metrics.body());
            assertTrue(metrics.body().contains("lsr_test_commit_latency_seconds_count 1"), metrics.body());

            assertEquals(200, get(server, Endpoints.LIVE).statusCode());
            HttpResponse<String> ready = get(server, Endpoints.READY);
            assertEquals(200, ready.statusCode());
            assertEquals(
                    "{\"status\":\"UP\",\"checks\":{\"kafka\":{\"status\":\"UP\"},\"letta\":{\"status\":\"UP\"}}}",
                    ready.body());

            kafka.set(false);
            HttpResponse<String> notReady = get(server, Endpoints.READY);
            assertEquals(503, notReady.statusCode());
            assertEquals(
                    "{\"status\":\"DOWN\",\"checks\":{\"kafka\":{\"status\":\"DOWN\",\"detail\":\"connection refused"
                            + " \\\"x\\\"\"},\"letta\":{\"status\":\"UP\"}}}",
                    notReady.body());
            assertEquals(200, get(server, Endpoints.LIVE).statusCode(), "liveness does not follow readiness");
        }
    }

    @Test
    void aCheckThatThrowsIsDownAndNamesOnlyItsType() throws Exception {
        HealthReport report = new SharedChecks(Map.of("broken", () -> {
                    throw new IllegalStateException("secret-ish text");
                }))
                .report();
        assertEquals(
                "{\"status\":\"DOWN\",\"checks\":{\"broken\":{\"status\":\"DOWN\",\"detail\":\"check failed:"
                        + " IllegalStateException\"}}}",
                report.toJson());
    }

    @Test
    void aTcpProbeIsDownWhereNothingListens() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
            assertTrue(new TcpProbe("localhost:" + port, Duration.ofSeconds(2))
                    .check()
                    .up());
        }
        HealthCheck.Result closed = new TcpProbe("localhost:" + port, Duration.ofSeconds(2)).check();
        assertTrue(!closed.up() && closed.detail().startsWith("localhost:" + port), closed.toString());
    }

    @Test
    void aTcpProbeTakesAddressesAsKafkaDoesWithASecurityProtocolInFront() throws Exception {
        try (var socket = new java.net.ServerSocket(0)) {
            int port = socket.getLocalPort();
            for (String address : List.of("SASL_SSL://localhost:" + port, "PLAINTEXT://localhost:" + port)) {
                HealthCheck.Result result =
                        new TcpProbe("nowhere.invalid:1, " + address, Duration.ofSeconds(2)).check();
                assertTrue(result.up(), address + ": " + result);
            }
        }
    }

    /**
     * A stopping daemon does not wait for a health check: closing the server while a readiness check hangs (and
     * ignores interrupts) returns at once. Before, {@code close} waited for every request's thread to end.
     */
    @Test
    void closeDoesNotWaitForAHangingCheck() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HealthCheck hangs = () -> {
            entered.countDown();
            awaitUninterruptibly(release);
            return HealthCheck.Result.ok();
        };
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ObservabilityServer server = ObservabilityServer.start(0, registry, Map.of("hangs", hangs));
        try {
            http.sendAsync(
                    HttpRequest.newBuilder(uri(server, Endpoints.READY)).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(entered.await(10, TimeUnit.SECONDS), "the check runs");

            CompletableFuture<Void> closed = CompletableFuture.runAsync(server::close);

            try {
                closed.get(2, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                fail("close still waits for the hanging check after 2 s");
            }
        } finally {
            release.countDown();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void onlyGetAndHeadAreAnswered() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ObservabilityServer server = ObservabilityServer.start(0, registry, Map.of())) {
            HttpResponse<String> post = http.send(
                    HttpRequest.newBuilder(uri(server, Endpoints.METRICS))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    private HttpResponse<String> get(ObservabilityServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(server, path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(ObservabilityServer server, String path) {
        return URI.create("http://localhost:" + server.port() + path);
    }
}
