package dev.lsr.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
    /** The method and raw path of each request the upstream got. */
    private final List<String> upstreamRequests = new CopyOnWriteArrayList<>();

    private HttpServer upstream;

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", exchange -> {
            try (exchange) {
                upstreamGot.add(Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"))
                        .orElse(""));
                upstreamRequests.add(exchange.getRequestMethod() + " "
                        + exchange.getRequestURI().getRawPath());
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

    /**
     * DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1 sends same-origin requests, with
     * {@code Host: evil.example:PORT}. Without a key of its own the server must not answer them, least of all pass
     * them on with the upstream's key; a loopback Host still works.
     */
    @Test
    void aRebindingHostNeverReachesTheUpstreamWithItsKey(KafkaBroker broker) throws Exception {
        try (ReplayServer server = server(broker, null, LETTA_KEY)) {
            int port = server.port();
            for (String path : List.of("/v1/agents/agent-1", "/v1/runs/")) {
                String response = raw(port, "GET " + path + " HTTP/1.1\r\nHost: evil.example:" + port + "\r\n\r\n");
                assertTrue(response.startsWith("HTTP/1.1 421 "), response);
                assertTrue(response.contains("\"detail\":\"Host evil.example"), response);
                assertFalse(response.contains(LETTA_KEY), response);
            }
            assertEquals(List.of(), upstreamGot, "the upstream got nothing");
            for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "localhost")) {
                String response = raw(port, "GET /v1/agents/agent-1 HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
                assertTrue(response.startsWith("HTTP/1.1 200 "), host + ": " + response);
            }
        }
        assertEquals(4, upstreamGot.size(), upstreamGot.toString());
    }

    /**
     * Behind a name of its own (a proxy, a DNS name for the host) a server without a key answers that name once
     * it is listed with {@code --allowed-host}; any other name is still refused.
     */
    @Test
    void anAllowedHostIsServedWithoutAKeyAndAnUnlistedOneStillRefused(KafkaBroker broker) throws Exception {
        try (ReplayServer server = server(broker, null, LETTA_KEY)) {
            String response = raw(server.port(), "GET /v1/agents/agent-1 HTTP/1.1\r\nHost: replay.example\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 421 "), "refused without the option: " + response);
        }
        try (ReplayServer server = start(builder(broker, null).allowedHost("replay.example"))) {
            int port = server.port();
            for (String host : List.of("replay.example", "Replay.Example:" + port)) {
                String response = raw(port, "GET /v1/agents/agent-1 HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
                assertTrue(response.startsWith("HTTP/1.1 200 "), host + ": " + response);
            }
            for (String host : List.of("other.example", "replay.example.evil.example", "evil.example")) {
                String response = raw(port, "GET /v1/agents/agent-1 HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
                assertTrue(response.startsWith("HTTP/1.1 421 "), host + ": " + response);
            }
        }
        assertEquals(List.of("GET /v1/agents/agent-1", "GET /v1/agents/agent-1"), upstreamRequests);
    }

    /**
     * A Compose service name has underscores ({@code lsr_replay}), and a fully qualified name may end in a dot
     * ({@code replay.example.}, the same name): both are names an operator lists, and a client sends.
     */
    @Test
    void aServiceNameWithUnderscoresAndAnAbsoluteNameAreAllowedHosts(KafkaBroker broker) throws Exception {
        try (ReplayServer server =
                start(builder(broker, null).allowedHost("lsr_replay").allowedHost("replay.example."))) {
            int port = server.port();
            for (String host : List.of("lsr_replay", "replay.example", "replay.example.:" + port)) {
                String response = raw(port, "GET /v1/agents/agent-1 HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
                assertTrue(response.startsWith("HTTP/1.1 200 "), host + ": " + response);
            }
            String other = raw(port, "GET /v1/agents/agent-1 HTTP/1.1\r\nHost: lsr_other\r\n\r\n");
            assertTrue(other.startsWith("HTTP/1.1 421 "), other);
        }
        assertEquals(3, upstreamRequests.size(), String.valueOf(upstreamRequests));
    }

    /** A page of another site posting to the server (a CSRF "simple" request) names its site in Origin. */
    @Test
    void aCrossSiteOriginIsRefusedWithoutAKey(KafkaBroker broker) throws Exception {
        try (ReplayServer server = server(broker, null, LETTA_KEY)) {
            int port = server.port();
            String response = raw(
                    port,
                    "POST /v1/agents/agent-1/messages HTTP/1.1\r\nHost: 127.0.0.1:" + port
                            + "\r\nOrigin: https://evil.example\r\nContent-Type: text/plain\r\n"
                            + "Content-Length: 2\r\n\r\n{}");
            assertTrue(response.startsWith("HTTP/1.1 403 "), response);
            assertTrue(response.contains("\"detail\":\"Origin https://evil.example"), response);
            String sameOrigin = raw(
                    port,
                    "GET /v1/agents/agent-1 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nOrigin: http://127.0.0.1:"
                            + port + "\r\n\r\n");
            assertTrue(sameOrigin.startsWith("HTTP/1.1 200 "), sameOrigin);
        }
        assertEquals(List.of("GET /v1/agents/agent-1"), upstreamRequests);
    }

    /** With a key of its own the key protects the server: any Host is served (a name, behind a proxy). */
    @Test
    void withAKeyAnyHostIsServed(KafkaBroker broker) throws Exception {
        try (ReplayServer server = server(broker, REPLAY_KEY, LETTA_KEY)) {
            int port = server.port();
            String response = raw(
                    port,
                    "GET /v1/agents/agent-1 HTTP/1.1\r\nHost: replay.example\r\nAuthorization: Bearer " + REPLAY_KEY
                            + "\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 200 "), response);
        }
    }

    /** A dot segment, raw or percent-encoded, would let a client reach routes outside /v1 upstream. */
    @Test
    void dotSegmentsAreNotPassedOn(KafkaBroker broker) throws Exception {
        try (ReplayServer server = server(broker, null, LETTA_KEY)) {
            int port = server.port();
            for (String path :
                    List.of("/v1/../admin", "/v1/agents/%2e%2E/%2e%2e/admin", "/v1/./agents", "/v1/a%2F..%2Fb")) {
                String response = raw(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n");
                assertTrue(response.startsWith("HTTP/1.1 400 "), path + ": " + response);
                assertTrue(response.contains("\"detail\":"), response);
            }
        }
        assertEquals(List.of(), upstreamRequests);
    }

    /** One request on its own connection, as written; the whole response as text. */
    private static String raw(int port, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            String withClose = request.replaceFirst("\r\n", "\r\nConnection: close\r\n");
            socket.getOutputStream().write(withClose.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
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
        ReplayServer.Builder builder = builder(broker, key);
        if (upstreamKey != null) {
            builder.upstreamApiKey(upstreamKey);
        }
        return start(builder);
    }

    private ReplayServer.Builder builder(KafkaBroker broker, String key) {
        String topic = broker.uniqueTopic("upstream-auth");
        broker.createTopic(topic, 1);
        return ReplayServer.builder()
                .clientProperties(Map.of("bootstrap.servers", broker.bootstrapServers()))
                .topic(topic)
                .port(0)
                .apiKey(key)
                .upstream(URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()));
    }

    private static ReplayServer start(ReplayServer.Builder builder) throws InterruptedException {
        ReplayServer server = builder.start();
        assertTrue(server.awaitIndexed(Duration.ofSeconds(60)), "indexed");
        return server;
    }
}
