package dev.lsr.recorder;

import static dev.lsr.recorder.testing.SessionHarness.expectedChunks;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lsr.chunklog.RecordType;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.Fixtures;
import dev.lsr.recorder.testing.SimForwarding;
import dev.lsr.sim.ConnectionFault;
import dev.lsr.sim.FaultPlan;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.RunFaults;
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
 * Letta keeps a run's stream for hours, so an outage of Letta longer than the abandon time must not
 * give up the runs it caught mid-stream: while nobody answers for Letta (a gateway's 502 here) the
 * run keeps retrying, and once Letta answers again it resumes and is recorded whole.
 */
@ExtendWith(KafkaBrokerExtension.class)
class OutageOutlastsAbandonTimeIT {

    private static final String FIXTURE = "02-tool-call-two-steps";
    private static final String RUN = Fixtures.runId(FIXTURE);
    private static final Duration ABANDON_AFTER = Duration.ofSeconds(1);
    private static final Duration OUTAGE = Duration.ofSeconds(4);

    @Test
    void aRunCaughtByAnOutageLongerThanTheAbandonTimeIsRecordedWhole(KafkaBroker broker) throws Exception {
        FaultPlan faults = FaultPlan.builder()
                .run(
                        RUN,
                        RunFaults.builder()
                                .attempt(1, ConnectionFault.dropAfter(5))
                                .build())
                .build();
        String topic = broker.uniqueTopic("outage-abandon");
        try (LettaSim sim = LettaSim.builder()
                        .faults(faults)
                        .recordedRun(FIXTURE, LettaFixtures.sseBody(FIXTURE))
                        .start();
                GatewayFront gateway = new GatewayFront(sim.baseUrl());
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            RecorderConfig config = RecorderConfig.builder(gateway.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .partitions(1)
                    .agentIds(List.of("agent-watching-nobody"))
                    .abandonAfter(ABANDON_AFTER)
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
                    .build();
            RecorderDaemon daemon = RecorderDaemon.create(config);
            Thread thread = Thread.ofPlatform().name("daemon").start(daemon);
            try {
                assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));

                RunOutcome outcome = daemon.attach(RUN).get(60, TimeUnit.SECONDS);

                assertTrue(gateway.refused() > 0, "the recorder met the outage");
                assertEquals(RunOutcome.Kind.FINISHED, outcome.kind(), "outcome " + outcome);
                log.awaitUntil(l -> l.ended(Set.of(RUN)), Duration.ofSeconds(30));
                List<RecordType> lifecycle = log.types(RUN).stream()
                        .filter(t -> t != RecordType.CHUNK)
                        .toList();
                assertEquals(RecordType.RUN_ATTACHED, lifecycle.getFirst());
                assertEquals(RecordType.RUN_FINISHED, lifecycle.getLast(), "lifecycle " + lifecycle);
                assertEquals(expectedChunks(FIXTURE), log.chunks(RUN), "every chunk once");
            } finally {
                daemon.close();
                thread.join(30_000);
            }
        }
    }

    /**
     * A gateway in front of the simulator: forwards until the run's first stream connection ends, then
     * answers every request 502 (its backend gone) for {@link #OUTAGE}, then forwards again.
     */
    private static final class GatewayFront implements AutoCloseable {
        private final HttpServer server;
        private final HttpClient upstream = HttpClient.newHttpClient();
        private final AtomicBoolean outageStarted = new AtomicBoolean();
        private final AtomicInteger refused = new AtomicInteger();
        private volatile long outageEndsAtNanos;

        GatewayFront(String simUrl) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                try (exchange) {
                    if (outageStarted.get() && System.nanoTime() - outageEndsAtNanos < 0) {
                        refused.incrementAndGet();
                        badGateway(exchange);
                        return;
                    }
                    boolean runStream = exchange.getRequestURI().getPath().endsWith("/runs/" + RUN + "/stream");
                    try {
                        SimForwarding.forward(exchange, simUrl, upstream);
                    } finally {
                        if (runStream && !outageStarted.get()) {
                            outageEndsAtNanos = System.nanoTime() + OUTAGE.toNanos();
                            outageStarted.set(true);
                        }
                    }
                }
            });
            server.start();
        }

        private static void badGateway(HttpExchange exchange) throws IOException {
            byte[] body = "<html><body><h1>502 Bad Gateway</h1></body></html>".getBytes(UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(502, body.length);
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
