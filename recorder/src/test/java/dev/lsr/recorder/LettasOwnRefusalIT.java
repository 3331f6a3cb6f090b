package dev.lsr.recorder;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lsr.chunklog.RecordType;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.metrics.RecorderMetrics;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.Fixtures;
import dev.lsr.recorder.testing.SimForwarding;
import dev.lsr.sim.ConnectionFault;
import dev.lsr.sim.FaultPlan;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.RunFaults;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A 503 that Letta itself sends (FastAPI's {@code {"detail": ...}}: "Background streaming requires Redis",
 * protocol §3.3) is an answer from Letta, not an outage: it is not logged or counted as Letta being
 * unreachable, and it does not stop the abandon time, so a run whose resumes Letta keeps refusing is given
 * up after {@code --abandon-after} (recorded as {@code run.abandoned}), not retried for Letta's 3-hour
 * stream retention.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LettasOwnRefusalIT {

    private static final String FIXTURE = "02-tool-call-two-steps";
    private static final String RUN = Fixtures.runId(FIXTURE);
    private static final Duration ABANDON_AFTER = Duration.ofSeconds(1);

    @Test
    void aRunWhoseResumesLettaRefusesIsAbandonedWithoutAnOutage(KafkaBroker broker) throws Exception {
        FaultPlan faults = FaultPlan.builder()
                .run(
                        RUN,
                        RunFaults.builder()
                                .attempt(1, ConnectionFault.dropAfter(5))
                                .build())
                .build();
        String topic = broker.uniqueTopic("letta-refuses");
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (LettaSim sim = LettaSim.builder()
                        .faults(faults)
                        .recordedRun(FIXTURE, LettaFixtures.sseBody(FIXTURE))
                        .start();
                RedisLostFront front = new RedisLostFront(sim.baseUrl());
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            RecorderConfig config = RecorderConfig.builder(front.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .partitions(1)
                    .agentIds(List.of("agent-watching-nobody"))
                    .abandonAfter(ABANDON_AFTER)
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
                    .build();
            RecorderDaemon daemon =
                    RecorderDaemon.builder(config).meterRegistry(metrics).build();
            Thread thread = Thread.ofPlatform().name("daemon").start(daemon);
            try {
                assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));

                RunOutcome outcome = daemon.attach(RUN).get(30, TimeUnit.SECONDS);

                assertTrue(front.refused() > 0, "Letta refused the resumes");
                assertEquals(RunOutcome.Kind.ABANDONED, outcome.kind(), "outcome " + outcome);
                log.awaitUntil(l -> l.ended(Set.of(RUN)), Duration.ofSeconds(30));
                assertEquals(RecordType.RUN_ABANDONED, log.types(RUN).getLast(), "types " + log.types(RUN));
                assertEquals(
                        0.0,
                        metrics.get(RecorderMetrics.LETTA_OUTAGES).counter().count(),
                        "Letta answered every request: no outage");
            } finally {
                daemon.close();
                thread.join(30_000);
            }
        }
    }

    /**
     * Letta after its Redis went away: forwards everything to the simulator until the run's first stream
     * connection ends, then answers every stream request as Letta does without Redis.
     */
    private static final class RedisLostFront implements AutoCloseable {
        private final HttpServer server;
        private final HttpClient upstream = HttpClient.newHttpClient();
        private final AtomicBoolean redisLost = new AtomicBoolean();
        private final AtomicInteger refused = new AtomicInteger();

        RedisLostFront(String simUrl) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                try (exchange) {
                    boolean runStream = exchange.getRequestURI().getPath().endsWith("/runs/" + RUN + "/stream");
                    if (runStream && redisLost.get()) {
                        refused.incrementAndGet();
                        redisRequired(exchange);
                        return;
                    }
                    try {
                        SimForwarding.forward(exchange, simUrl, upstream);
                    } finally {
                        if (runStream) {
                            redisLost.set(true);
                        }
                    }
                }
            });
            server.start();
        }

        private static void redisRequired(HttpExchange exchange) throws IOException {
            String detail = "Background streaming requires Redis to be running. Please ensure Redis is properly"
                    + " configured. LETTA_REDIS_HOST: None, LETTA_REDIS_PORT: 6379";
            byte[] body = ("{\"detail\":\"" + detail + "\"}").getBytes(UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
        }

        int refused() {
            return refused.get();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
