package dev.lsr.recorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.observability.Endpoints;
import dev.lsr.observability.ObservabilityServer;
import dev.lsr.recorder.RecorderConfig;
import dev.lsr.recorder.RecorderDaemon;
import dev.lsr.recorder.testing.Fixtures;
import dev.lsr.recorder.testing.SimFront;
import dev.lsr.sim.LettaSim;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The recorder's {@code letta} readiness check over HTTP, with a daemon whose Letta (letta-sim behind a front that can
 * answer the listing itself) fails in different ways: a server error, Letta Cloud's 503 refusal while it deploys, and
 * a 404 (Letta answering). With a watcher each state is read after a few more listings answered it; without one the
 * check asks the listing itself once the last outcome is old.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LettaReadinessIT {

    private static final String LISTING = "/v1/runs/";
    private static final String JSON = "application/json";
    private static final String BROKEN = "01-simple-reply";
    /** How old the last listing's outcome may be before the letta check asks again (docs/operations.md). */
    private static final Duration STALE_AFTER = Duration.ofSeconds(30);

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

    /**
     * One run whose routes answer 500 (its Run GET and stream open, retried with backoff) among a Letta whose listing
     * answers: readiness stays {@code UP}. Before, the check followed whichever call ended last and toggled at that
     * run's retry cadence, each 500 marking the whole recorder down until the next listing.
     */
    @Test
    void oneRunsServerErrorsDoNotDecideReadiness(KafkaBroker broker) throws Exception {
        String broken = Fixtures.runId(BROKEN);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (LettaSim sim = LettaSim.builder()
                        .recordedRun(BROKEN, LettaFixtures.sseBody(BROKEN))
                        .start();
                SimFront front = new SimFront(
                        sim.baseUrl(),
                        path -> path.contains("/runs/" + broken)
                                ? new SimFront.Canned(500, JSON, "{\"detail\":\"Internal Server Error\"}")
                                : null,
                        path -> {})) {
            RecorderConfig config = RecorderConfig.builder(front.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(broker.uniqueTopic("letta-readiness-one-run"))
                    .partitions(1)
                    .pollInterval(Duration.ofSeconds(1))
                    .attachRunIds(List.of(broken))
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
                    .abandonAfter(Duration.ofMinutes(5))
                    .build();
            RecorderDaemon daemon =
                    RecorderDaemon.builder(config).meterRegistry(registry).build();
            Thread thread = Thread.ofPlatform().start(daemon);
            try (ObservabilityServer server =
                    ObservabilityServer.start(0, registry, RecorderReadiness.of(daemon, registry))) {
                assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)), "the daemon runs");
                Awaitility.await("the broken run retries")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> front.answered() >= 5);
                List<String> down = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    HttpResponse<String> ready = ready(server);
                    if (ready.statusCode() != 200) {
                        down.add(ready.body());
                    }
                    Thread.sleep(100);
                }
                assertTrue(
                        down.isEmpty(),
                        down.size() + " of 30 readiness answers were not 200 while one run got 500s, the first: "
                                + down.stream().findFirst().orElse(""));
            } finally {
                daemon.close();
                thread.join(30_000);
            }
        }
    }

    /**
     * A recorder that lists nothing (no watcher, no run): readiness asks Letta's listing itself once the last outcome
     * is older than the staleness bound, so it goes {@code DOWN} while Letta answers 500 and {@code UP} again when it
     * answers. The daemon's clocks (wall and monotonic) are moved past the bound instead of waiting for it. Before, an idle recorder's
     * readiness kept the outcome of its last listing, or none, for good: {@code UP} while Letta was down.
     */
    @Test
    void anIdleRecorderWithoutAWatcherFindsLettaDownAndBackUp(KafkaBroker broker) throws Exception {
        AtomicReference<SimFront.Canned> listing = new AtomicReference<>();
        AheadClock clock = new AheadClock();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (LettaSim sim = LettaSim.builder().start();
                SimFront front =
                        new SimFront(sim.baseUrl(), path -> path.equals(LISTING) ? listing.get() : null, path -> {})) {
            RecorderConfig config = RecorderConfig.builder(front.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(broker.uniqueTopic("letta-readiness-idle"))
                    .partitions(1)
                    .watch(false)
                    .build();
            RecorderDaemon daemon = RecorderDaemon.builder(config)
                    .clock(clock)
                    .nanoTime(clock::nanoTime)
                    .meterRegistry(registry)
                    .build();
            Thread thread = Thread.ofPlatform().start(daemon);
            try (ObservabilityServer server =
                    ObservabilityServer.start(0, registry, RecorderReadiness.of(daemon, registry))) {
                assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)), "the daemon runs");
                awaitStatus(server, 200);

                listing.set(new SimFront.Canned(500, JSON, "{\"detail\":\"Internal Server Error\"}"));
                clock.advance(STALE_AFTER.plusSeconds(1));
                String down = awaitStatus(server, 503, Duration.ofSeconds(15));
                assertTrue(
                        down.contains("\"letta\":{\"status\":\"DOWN\",\"detail\":\"HTTP 500 on GET /v1/runs/\"}"),
                        down);

                listing.set(null);
                clock.advance(STALE_AFTER.plusSeconds(1));
                String up = awaitStatus(server, 200, Duration.ofSeconds(15));
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
        return awaitStatus(server, status, Duration.ofSeconds(30));
    }

    private String awaitStatus(ObservabilityServer server, int status, Duration atMost) {
        AtomicReference<String> body = new AtomicReference<>();
        Awaitility.await("readiness " + status)
                .atMost(atMost)
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

    /**
     * The system clock and its monotonic time, moved ahead when told to (as if that time had passed at once): time
     * still passes.
     */
    private static final class AheadClock extends Clock {
        private volatile Duration ahead = Duration.ZERO;

        synchronized void advance(Duration duration) {
            ahead = ahead.plus(duration);
        }

        long nanoTime() {
            return System.nanoTime() + ahead.toNanos();
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(ahead);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
