package dev.lsr.observability;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JDK HTTP server that serves only the {@link Endpoints}: what a process without an HTTP server of its
 * own (the recorder daemon) runs for its metrics and probes. One virtual thread per request; at most
 * {@link ConnectionLimit} connections open at a time.
 */
public final class ObservabilityServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ObservabilityServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private ObservabilityServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code port} on every interface (0: a free one) and starts serving.
     *
     * @throws UncheckedIOException when the port cannot be bound
     * @throws IllegalArgumentException when the user set a connection limit too low ({@link
     *     ConnectionLimit#applyDefault})
     */
    public static ObservabilityServer start(
            int port, PrometheusMeterRegistry registry, Map<String, HealthCheck> readiness) {
        ConnectionLimit.applyDefault();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot serve metrics and health on port " + port + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        Endpoints.mount(server, registry, readiness);
        server.start();
        log.info(
                "Serving {}, {} and {} on port {}",
                Endpoints.METRICS,
                Endpoints.LIVE,
                Endpoints.READY,
                server.getAddress().getPort());
        return new ObservabilityServer(server, executor);
    }

    /** The port bound (the real one when started on 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Stops at once: requests still running (a health check waiting on a connect) are interrupted, not waited for,
     * so a stopping daemon never waits for its probes.
     */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
