package dev.lsr.replay.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Duration;

/**
 * Any {@code /v1/...} route the replay server does not serve, without an upstream: 501, one line why, at once (the
 * body is not read: {@link Exchanges#problem}).
 */
public final class NotServedHandler implements HttpHandler {

    static final String DETAIL = "The replay server serves only GET /v1/runs/, GET /v1/runs/{run_id} and"
            + " POST /v1/runs/{run_id}/stream from the recorded log; start it with --upstream URL to pass"
            + " other routes to Letta.";

    private final Duration writeTimeout;

    /** @param writeTimeout the server's write timeout ({@link Exchanges#json}) */
    public NotServedHandler(Duration writeTimeout) {
        this.writeTimeout = writeTimeout;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Exchanges.problem(exchange, HttpProblem.detail(501, DETAIL), writeTimeout);
        }
    }
}
