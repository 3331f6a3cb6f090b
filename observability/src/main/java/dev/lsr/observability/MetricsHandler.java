package dev.lsr.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.HttpURLConnection;

/** {@code GET /metrics}: the registry's meters in the Prometheus text format (what a Prometheus scrape asks for). */
public final class MetricsHandler implements HttpHandler {

    /** The Prometheus text exposition format, version 0.0.4: what every Prometheus server reads. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    public MetricsHandler(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (Responses.allowGet(exchange)) {
                Responses.send(exchange, HttpURLConnection.HTTP_OK, CONTENT_TYPE, registry.scrape());
            }
        }
    }
}
