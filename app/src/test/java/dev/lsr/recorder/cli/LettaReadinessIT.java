package dev.lsr.recorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.observability.Endpoints;
import dev.lsr.observability.ObservabilityServer;
import dev.lsr.recorder.RecorderConfig;
import dev.lsr.recorder.RecorderDaemon;
import dev.lsr.recorder.testing.SimFront;
import dev.lsr.sim.LettaSim;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The recorder's {@code letta} readiness check over HTTP, with a watching daemon whose Letta (letta-sim behind a
 * front that can answer the listing itself) fails in different ways: a server error, Letta Cloud's 503 refusal while
 * it deploys, and a 404 (Letta answering). Each state is read after a few more listings answered it.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LettaReadinessIT {

    private static final String LISTING = "/v1/runs/";
    private static final String JSON = "application/json";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readinessIsDownWhileLettasLastCallEndedInAServerErrorAndUpWhenItAnswers(KafkaBroker broker) throws Exception {
        AtomicReference<SimFront.Canned> listing = new AtomicReference<>();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (LettaSim sim = LettaSim.builder().start();
                SimFront front =
                        new SimFront(sim.baseUrl(), path -> path.equals(LISTING) ? listing.get() : null, path -> {})) {
            RecorderConfig config = RecorderConfig.builder(front.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(broker.uniqueTopic("letta-readiness"))
                    .partitions(1)
                    .pollInterval(Duration.ofMillis(50))
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
                    .build();
            RecorderDaemon daemon =
                    RecorderDaemon.builder(config).meterRegistry(registry).build();
            Thread thread = Thread.ofPlatform().start(daemon);
            try (ObservabilityServer server =
                    ObservabilityServer.start(0, registry, RecorderReadiness.of(daemon, registry))) {
                assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)), "the daemon runs");
                awaitStatus(server, 200);

                listing.set(new SimFront.Canned(404, JSON, "{\"detail\":\"Not Found\"}"));
                HttpResponse<String> notFound = afterMoreListings(front, server);
                assertEquals(200, notFound.statusCode(), "a 404 is Letta answering: " + notFound.body());

                listing.set(new SimFront.Canned(500, JSON, "{\"detail\":\"Internal Server Error\"}"));
                HttpResponse<String> serverError = afterMoreListings(front, server);
                assertEquals(503, serverError.statusCode(), "while Letta answers 500: " + serverError.body());
                assertTrue(
                        serverError
                                .body()
                                .contains("\"letta\":{\"status\":\"DOWN\",\"detail\":\"HTTP 500 on GET /v1/runs/\"}"),
                        serverError.body());

                listing.set(null);
                awaitStatus(server, 200);

                listing.set(new SimFront.Canned(
                        503,
                        JSON,
                        "{\"detail\":\"shutting down\",\"errorCode\":\"cloud_api_shutting_down\",\"admitted\":false,"
                                + "\"retryable\":true}"));
                HttpResponse<String> refused = afterMoreListings(front, server);
                assertEquals(503, refused.statusCode(), "while Letta Cloud refuses (deploying): " + refused.body());
                assertTrue(refused.body().contains("HTTP 503 on GET /v1/runs/"), refused.body());

                listing.set(null);
                String up = awaitStatus(server, 200);
                assertTrue(up.contains("\"letta\":{\"status\":\"UP\"}"), up);
            } finally {
                daemon.close();
                thread.join(30_000);
            }
        }
    }

    /** {@code /health/ready} once the front answered three more listings (the first may have been in flight). */
    private HttpResponse<String> afterMoreListings(SimFront front, ObservabilityServer server) throws Exception {
        int before = front.answered();
        Awaitility.await("more listings").atMost(Duration.ofSeconds(30)).until(() -> front.answered() >= before + 3);
        return ready(server);
    }

    private String awaitStatus(ObservabilityServer server, int status) {
        AtomicReference<String> body = new AtomicReference<>();
        Awaitility.await("readiness " + status)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    HttpResponse<String> ready = ready(server);
                    body.set(ready.body());
                    return ready.statusCode() == status;
                });
        return body.get();
    }

    private HttpResponse<String> ready(ObservabilityServer server) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + Endpoints.READY))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
