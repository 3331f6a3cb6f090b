package dev.lsr.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.util.Map;

/**
 * {@code GET /health/live} or {@code /health/ready}: runs its checks and answers 200 when all are up, 503
 * when one is down, with the {@link HealthReport} as JSON either way (probes read the status, people the body).
 * Requests at once share one run of the checks, and none waits for it longer than 5 s ({@link SharedChecks}).
 */
public final class HealthHandler implements HttpHandler {

    private final SharedChecks checks;

    /** @param checks by name, in the order the body lists them; none: always up (a liveness probe) */
    public HealthHandler(Map<String, HealthCheck> checks) {
        this.checks = new SharedChecks(checks);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!Responses.allowGet(exchange)) {
                return;
            }
            HealthReport report;
            try {
                report = checks.report();
            } catch (InterruptedException e) {
                // the server is stopping: no answer
                Thread.currentThread().interrupt();
                return;
            }
            Responses.send(
                    exchange,
                    report.up() ? HttpURLConnection.HTTP_OK : HttpURLConnection.HTTP_UNAVAILABLE,
                    "application/json",
                    report.toJson());
        }
    }
}
