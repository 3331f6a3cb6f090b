package dev.lsr.recorder.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.logging.LoggingMeterRegistry;
import io.micrometer.core.instrument.logging.LoggingRegistryConfig;
import io.micrometer.core.instrument.util.NamedThreadFactory;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CLI's metrics: a Micrometer {@link LoggingMeterRegistry} that logs, at INFO on the logger
 * {@value #LOGGER}, every meter that moved during the last interval, and once more when closed. A zero
 * interval gives a registry that logs nothing.
 */
final class LoggedMetrics implements AutoCloseable {

    static final String LOGGER = "dev.lsr.recorder.metrics";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private final MeterRegistry registry;

    private LoggedMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Starts logging every {@code interval} (zero: never). */
    static LoggedMetrics start(Duration interval) {
        if (interval.isZero()) {
            return new LoggedMetrics(new CompositeMeterRegistry());
        }
        LoggingRegistryConfig config = new LoggingRegistryConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public Duration step() {
                return interval;
            }
        };
        return new LoggedMetrics(LoggingMeterRegistry.builder(config)
                .loggingSink(log::info)
                .threadFactory(new NamedThreadFactory("metrics-log"))
                .build());
    }

    /** The registry to pass to the daemon. */
    MeterRegistry registry() {
        return registry;
    }

    /** Logs what moved since the last interval and stops. */
    @Override
    public void close() {
        registry.close();
    }
}
