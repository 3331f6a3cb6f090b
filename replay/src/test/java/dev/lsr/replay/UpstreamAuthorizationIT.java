package dev.lsr.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a route passed to the upstream Letta server ({@code --upstream}) carries as its {@code Authorization}. Without
 * a key of its own, the replay server passes the client's (it is the client's key for Letta). With one, the client
 * sends the replay server's key, which must never leave for the upstream (a secret handed to a third party, and a
 * 401 there unless both keys are the same): the upstream gets the key given for it ({@code --upstream-api-key-file}),
 * or none.
 */
@ExtendWith(KafkaBrokerExtension.class)
class UpstreamAuthorizationIT {

    private static final String REPLAY_KEY = "replay-s3cret";
    private static final String LETTA_KEY = "letta-s3cret";

    private final HttpClient http = HttpClient.newHttpClient();
    /** The Authorization header of each request the upstream got ("" for none). */
    private final List<String> upstreamGot = new CopyOnWriteArrayList<>();

    private HttpServer upstream;

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", exchange -> {
            try (exchange) {
                upstreamGot.add(Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"))
                        .orElse(""));
                byte[] body = "{\"id\":\"agent-1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        upstream.start();
    }

    @AfterEach
    void stopUpstream() {
        upstream.stop(0);
    }

    @Test
    void theReplayServersOwnKeyNeverReachesTheUpstream(KafkaBroker broker) throws Exception {
        try (ReplayServer server = server(broker, REPLAY_KEY, null)) {
            assertEquals(200, getAgent(server, REPLAY_KEY).statusCode());
        }
        assertEquals(List.of(""), upstreamGot, "the upstream got no Authorization, and not the replay server's key");
    }

    @Test
    void theUpstreamGetsTheKeyGivenForIt(KafkaBroker broker) throws Exception {
        try (ReplayServer server = server(broker, REPLAY_KEY, LETTA_KEY)) {
            assertEquals(200, getAgent(server, REPLAY_KEY).statusCode());
        }
        assertEquals(List.of("Bearer " + LETTA_KEY), upstreamGot);
    }

    @Test
    void withoutAKeyOfItsOwnTheServerPassesTheClientsKey(KafkaBroker broker) throws Exception {
        try (ReplayServer server = server(broker, null, null)) {
            assertEquals(200, getAgent(server, LETTA_KEY).statusCode());
        }
        assertEquals(List.of("Bearer " + LETTA_KEY), upstreamGot);
    }

    private HttpResponse<String> getAgent(ReplayServer server, String key) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(server.baseUrl().resolve("/v1/agents/agent-1"))
                        .header("Authorization", "Bearer " + key)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(response.body().contains("agent-1"), response.body());
        return response;
    }

    private ReplayServer server(KafkaBroker broker, String key, String upstreamKey) throws InterruptedException {
        String topic = broker.uniqueTopic("upstream-auth");
        broker.createTopic(topic, 1);
        ReplayServer.Builder builder = ReplayServer.builder()
                .clientProperties(Map.of("bootstrap.servers", broker.bootstrapServers()))
                .topic(topic)
                .port(0)
                .apiKey(key)
                .upstream(URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()));
        if (upstreamKey != null) {
            builder.upstreamApiKey(upstreamKey);
        }
        ReplayServer server = builder.start();
        assertTrue(server.awaitIndexed(Duration.ofSeconds(60)), "indexed");
        return server;
    }
}
