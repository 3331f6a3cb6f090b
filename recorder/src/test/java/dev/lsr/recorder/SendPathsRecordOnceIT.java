package dev.lsr.recorder;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.lsr.chunklog.RecordType;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.SimForwarding;
import dev.lsr.recorder.testing.SimFrames;
import dev.lsr.sim.LettaSim;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The send paths claim runs like every other intake: a run this recorder recorded already is not
 * appended again when a retried send (same otid) gets the run's replay, or when a send's 409 "busy"
 * answer names a run that has ended by now.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SendPathsRecordOnceIT {

    @Test
    void aSendRetriedWithTheSameOtidDoesNotRecordItsRunAgain(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("retry");
        try (LettaSim sim = LettaSim.builder().start();
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            RecorderDaemon daemon = daemon(broker, sim.baseUrl(), topic);
            Thread thread = Thread.ofPlatform().start(daemon);
            assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));
            SendMessage message = SendMessage.toConversation("conv-retried", "hello");

            RunOutcome first = daemon.send(message).get(60, TimeUnit.SECONDS);
            RunOutcome retried = daemon.send(message).get(60, TimeUnit.SECONDS);

            assertEquals(RunOutcome.Kind.FINISHED, first.kind(), String.valueOf(first));
            assertEquals(RunOutcome.Kind.ALREADY_RECORDED, retried.kind(), String.valueOf(retried));
            assertEquals(first.runId(), retried.runId());
            daemon.close();
            thread.join(30_000);
            log.catchUp();
            assertEquals(
                    1,
                    log.types(first.runId()).stream()
                            .filter(t -> t == RecordType.RUN_ATTACHED)
                            .count());
            assertEquals(SimFrames.payloads(sim, first.runId()), log.chunks(first.runId()), "every chunk once");
        }
    }

    @Test
    void aBusyAnswerNamingARunRecordedAlreadyDoesNotRecordItAgain(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("busy-ended");
        try (LettaSim sim = LettaSim.builder().start();
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            String runId = startRun(sim);
            try (BusyFront front = new BusyFront(sim.baseUrl(), runId)) {
                RecorderDaemon daemon = daemon(broker, front.baseUrl(), topic);
                Thread thread = Thread.ofPlatform().start(daemon);
                assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));
                assertEquals(
                        RunOutcome.Kind.FINISHED,
                        daemon.attach(runId).get(60, TimeUnit.SECONDS).kind());

                RunOutcome busy = daemon.send(SendMessage.toConversation("conv-busy", "hello"))
                        .get(60, TimeUnit.SECONDS);

                assertEquals(runId, busy.runId());
                assertEquals(RunOutcome.Kind.ALREADY_RECORDED, busy.kind(), String.valueOf(busy));
                daemon.close();
                thread.join(30_000);
            }
            log.catchUp();
            assertEquals(
                    1,
                    log.types(runId).stream()
                            .filter(t -> t == RecordType.RUN_ATTACHED)
                            .count());
            assertEquals(SimFrames.payloads(sim, runId), log.chunks(runId), "every chunk once");
            assertTrue(log.ended(Set.of(runId)));
        }
    }

    private static RecorderDaemon daemon(KafkaBroker broker, String lettaUrl, String topic) {
        RecorderConfig config = RecorderConfig.builder(lettaUrl)
                .bootstrapServers(broker.bootstrapServers())
                .topic(topic)
                .partitions(1)
                .agentIds(List.of("agent-watching-nobody"))
                .backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                .build();
        return RecorderDaemon.create(config);
    }

    /** A background run sent to the simulator directly; with no pace it ends at once. */
    private static String startRun(LettaSim sim) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(sim.baseUrl() + "/v1/agents/agent-holder/messages/stream"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"background\":true}"))
                .build();
        http.send(request, HttpResponse.BodyHandlers.ofString());
        return sim.runIds().getLast();
    }

    /**
     * A protocol-speaking front of the simulator whose conversations are busy with a run that has ended
     * (as when Letta's lock outlives its run): every send answers 409 naming that run; every other
     * request goes to the simulator.
     */
    private static final class BusyFront implements AutoCloseable {
        private final HttpServer server;
        private final HttpClient upstream = HttpClient.newHttpClient();

        BusyFront(String simUrl, String busyRunId) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                try (exchange) {
                    String path = exchange.getRequestURI().getPath();
                    if ("POST".equals(exchange.getRequestMethod()) && path.endsWith("/messages")) {
                        byte[] body = ("{\"detail\":\"Cannot send a new message: Another request (run_id=" + busyRunId
                                        + ") is currently being processed for this conversation.\",\"run_id\":\""
                                        + busyRunId + "\"}")
                                .getBytes(UTF_8);
                        exchange.getResponseHeaders().add("Content-Type", "application/json");
                        exchange.sendResponseHeaders(409, body.length);
                        exchange.getResponseBody().write(body);
                        return;
                    }
                    SimForwarding.forward(exchange, simUrl, upstream);
                }
            });
            server.start();
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
