package dev.lsr.recorder.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A protocol-speaking front (a JDK {@code HttpServer}) in front of letta-sim: answers a request itself when
 * {@code answers} has a {@link Canned} answer for its path (a gateway's 502, Letta's own 503, ...), else
 * forwards it to the simulator and, once forwarding ends (the answer through, or failed), tells
 * {@code forwarded} its path.
 */
public final class SimFront implements AutoCloseable {

    /** An answer the front gives itself. */
    public record Canned(int status, String contentType, String body) {}

    private final HttpServer server;
    private final HttpClient upstream = HttpClient.newHttpClient();
    private final AtomicInteger answered = new AtomicInteger();

    public SimFront(String simUrl, Function<String, Canned> answers, Consumer<String> forwarded) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                Canned canned = answers.apply(path);
                if (canned != null) {
                    answered.incrementAndGet();
                    byte[] body = canned.body().getBytes(UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", canned.contentType());
                    exchange.sendResponseHeaders(canned.status(), body.length);
                    exchange.getResponseBody().write(body);
                    return;
                }
                try {
                    SimForwarding.forward(exchange, simUrl, upstream);
                } finally {
                    forwarded.accept(path);
                }
            }
        });
        server.start();
    }

    /** Whether {@code path} is the stream route of {@code runId} ({@code POST /v1/runs/{id}/stream}). */
    public static boolean isRunStream(String path, String runId) {
        return path.endsWith("/runs/" + runId + "/stream");
    }

    /** How many requests the front answered itself. */
    public int answered() {
        return answered.get();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
