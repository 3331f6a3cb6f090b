package dev.lsr.observability;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
        server.createContext(METRICS, new MetricsHandler(registry));
        server.createContext(LIVE, new HealthHandler(Map.of()));
        server.createContext(READY, new HealthHandler(readiness));
    }
}
