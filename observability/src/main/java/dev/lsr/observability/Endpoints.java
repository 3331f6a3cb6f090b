package dev.lsr.observability;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The paths every server of ours serves for operations, mounted on a JDK {@link HttpServer} that may serve
 * other things too (the replay server mounts them beside its own): {@value #METRICS}, {@value #LIVE} (up
 * while the process answers) and {@value #READY} (up while every readiness check is).
 */
public final class Endpoints {

    public static final String METRICS = "/metrics";
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";

    private Endpoints() {}

    /** @param readiness the conditions of {@value #READY}, by name, in the order its body lists them */
    public static void mount(HttpServer server, PrometheusMeterRegistry registry, Map<String, HealthCheck> readiness) {
        handlers(registry, readiness).forEach(server::createContext);
    }

    /**
     * The same handlers by path, for a server that mounts them itself (the replay server, which keeps them
     * open when it asks clients for a token: probes and scrapers carry none).
     */
    public static Map<String, HttpHandler> handlers(
            PrometheusMeterRegistry registry, Map<String, HealthCheck> readiness) {
        Map<String, HttpHandler> handlers = new LinkedHashMap<>();
        handlers.put(METRICS, new MetricsHandler(registry));
        handlers.put(LIVE, new HealthHandler(Map.of()));
        handlers.put(READY, new HealthHandler(readiness));
        return handlers;
    }
}
