package dev.lsr.recorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.observability.HealthCheck;
import dev.lsr.observability.ObservabilityServer;
import dev.lsr.recorder.RecorderListener;
import dev.lsr.recorder.internal.letta.LettaApi;
import dev.lsr.recorder.internal.letta.LettaCallHealth;
import dev.lsr.recorder.internal.letta.LettaReadiness;
import dev.lsr.recorder.internal.letta.OutageTrackingLettaApi;
import dev.lsr.recorder.testing.ListingOnlyLetta;
import dev.lsr.recorder.testing.MutableClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The {@code letta} readiness check behind the real health endpoint (its 5 s bound, each check called once at a
 * time), on an idle recorder whose Letta answers, slowly: docs/operations.md promises that while the check asks the
 * listing "a request meanwhile gets the last outcome", and {@link HealthCheck} that a check is quick. Before, the ask
 * ran on the check's own call, so the health run waited for it and reported {@code DOWN "check still running after 5
 * s"}: a Letta that answered its listing in more than 5 s made an idle recorder unready every 30 s. The ask now runs in
 * the background and the check answers with the last outcome at once.
 */
class SlowLettaReadinessTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T20:00:00Z"));
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aLettaThatAnswersSlowlyKeepsAnIdleRecorderReady() throws Exception {
        AtomicBoolean slow = new AtomicBoolean();
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        LettaCallHealth health = new LettaCallHealth(clock::nanoTime);
        LettaApi letta = ListingOnlyLetta.of(() -> {
            if (slow.get()) {
                asked.countDown();
                answer.await(); // Letta answers, after the health run's bound
            }
        });
        health.checkServer(letta); // the recorder's start check: Letta answered at once
        LettaReadiness readiness = new LettaReadiness(
                new OutageTrackingLettaApi(
                        letta, RecorderListener.NONE, clock, Duration.ofSeconds(10), stopping::get, health),
                health);
        Map<String, HealthCheck> checks = Map.of(
                "letta",
                () -> readiness.failure().map(HealthCheck.Result::failing).orElseGet(HealthCheck.Result::ok));
        try (ObservabilityServer server =
                ObservabilityServer.start(0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), checks)) {
            assertEquals(200, ready(server).statusCode(), "Letta answered the start check");

            slow.set(true);
            clock.advance(Duration.ofSeconds(31)); // the last outcome is old: the check asks again
            HttpResponse<String> whileAsking = ready(server);
            assertEquals(
                    200,
                    whileAsking.statusCode(),
                    "readiness while the check asks a Letta that answered last time: " + whileAsking.body());
            assertTrue(asked.await(5, TimeUnit.SECONDS), "the check asked Letta's listing again, in the background");
        } finally {
            answer.countDown();
            stopping.set(true);
        }
    }

    private HttpResponse<String> ready(ObservabilityServer server) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health/ready"))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(response.body().contains("\"letta\""), response.body());
        return response;
    }
}
