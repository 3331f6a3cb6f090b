package dev.lsr.observability;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.Map;

/**
 * A child JVM for {@link ConnectionLimitIT}: the JDK HTTP server reads its limits once per process, at its first
 * server, so the limit is tested in a fresh process. Serves the endpoints on a free port, prints the port, and
 * stops when its standard input ends.
 */
public final class ServeUntilStdinEnds {

    private ServeUntilStdinEnds() {}

    public static void main(String[] args) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ObservabilityServer server = ObservabilityServer.start(0, registry, Map.of())) {
            System.out.println("port " + server.port());
            System.out.flush();
            while (System.in.read() != -1) {
                // until the test closes our input
            }
        }
    }
}
