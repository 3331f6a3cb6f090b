package dev.lsr.recorder.cli;

import dev.lsr.observability.ConnectionLimit;
import dev.lsr.observability.HealthCheck;
import dev.lsr.observability.ObservabilityServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorder CLI's {@code --http-port}: a Prometheus registry beside the logged one (the daemon records
 * into both) and the {@link ObservabilityServer} serving it with the health probes. Port 0: neither.
 * A port that cannot be bound is logged as an error and the recorder records on without it: the
 * recording matters more than its metrics, and a missing endpoint shows (a failing probe, a target down).
 */
final class ScrapedMetrics implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScrapedMetrics.class);

    private final int port;
    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private ObservabilityServer server;

    private ScrapedMetrics(int port, MeterRegistry registry, PrometheusMeterRegistry prometheus) {
        this.port = port;
        this.registry = registry;
        this.prometheus = prometheus;
    }

    /**
     * Sets the connection limit of the port's server ({@link ConnectionLimit#applyDefault}), before any server of the
     * process starts; nothing when the port is 0.
     *
     * @throws ConfigException when the user set a limit with too few connections ({@code consumer serve}'s rule)
     */
    static void limitConnections(int port) {
        if (port == 0) {
            return;
        }
        try {
            ConnectionLimit.applyDefault();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() + " (" + ConfigKey.HTTP_PORT.flag() + ")");
        }
    }

    /** The registries to record into: {@code logged} alone, or it and a Prometheus one when {@code port} is set. */
    static ScrapedMetrics over(MeterRegistry logged, int port) {
        if (port == 0) {
            return new ScrapedMetrics(port, logged, null);
        }
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CompositeMeterRegistry both = new CompositeMeterRegistry();
        both.add(logged);
        both.add(prometheus);
        return new ScrapedMetrics(port, both, prometheus);
    }

    /** The registry to give the daemon. */
    MeterRegistry registry() {
        return registry;
    }

    /** Starts serving {@code /metrics} and the probes (nothing when the port is 0). */
    void serve(Map<String, HealthCheck> readiness) {
        if (prometheus == null) {
            return;
        }
        try {
            server = ObservabilityServer.start(port, prometheus, readiness);
        } catch (UncheckedIOException e) {
            log.error("Metrics and health are not served: {} (set --http-port)", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
    }
}
