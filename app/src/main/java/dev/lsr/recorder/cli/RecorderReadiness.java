package dev.lsr.recorder.cli;

import dev.lsr.kernel.LifecycleState;
import dev.lsr.observability.HealthCheck;
import dev.lsr.observability.TcpProbe;
import dev.lsr.recorder.RecorderDaemon;
import dev.lsr.recorder.metrics.RecorderMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When the recorder daemon is ready ({@code GET /health/ready}): it runs (so its partitions are owned and
 * their checkpoints restored: the log starts before the daemon is {@code RUNNING}), Kafka accepts
 * connections and no partition is retrying, every owned partition still records, and Letta answered its last listing
 * (not a 5xx, not without an answer: {@link RecorderDaemon#lettaFailure}, which has the listing asked in the background when
 * no listing started in the last 30 s ended, and answers with the last outcome at once; one run's server errors do not
 * decide). Kafka's state comes from the meters the
 * daemon keeps anyway ({@link RecorderMetrics}); Kafka is also probed on each request, as an idle recorder sends
 * nothing that could notice it gone.
 */
final class RecorderReadiness {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private RecorderReadiness() {}

    static Map<String, HealthCheck> of(RecorderDaemon daemon, MeterRegistry registry) {
        Map<String, HealthCheck> checks = new LinkedHashMap<>();
        checks.put(
                "recorder",
                () -> HealthCheck.Result.of(daemon.state() == LifecycleState.RUNNING, "recorder is " + daemon.state()));
        checks.put("kafka", () -> kafka(daemon, registry));
        checks.put(
                "partitions",
                () -> HealthCheck.Result.of(
                        gauge(registry, RecorderMetrics.PARTITIONS_STOPPED) == 0
                                && registry.find(RecorderMetrics.FAILED).gauges().stream()
                                        .allMatch(failed -> failed.value() == 0),
                        "a partition stopped or the run log failed"));
        checks.put(
                "letta",
                () -> daemon.lettaFailure().map(HealthCheck.Result::failing).orElseGet(HealthCheck.Result::ok));
        return checks;
    }

    private static HealthCheck.Result kafka(RecorderDaemon daemon, MeterRegistry registry) {
        String bootstrap = daemon.bootstrapServers().orElse(null);
        if (bootstrap == null) {
            return HealthCheck.Result.failing("not connected yet");
        }
        HealthCheck.Result reachable = new TcpProbe(bootstrap, PROBE_TIMEOUT).check();
        if (!reachable.up()) {
            return reachable;
        }
        double retrying = gauge(registry, RecorderMetrics.OUTAGES_ONGOING);
        return HealthCheck.Result.of(retrying == 0, (int) retrying + " partition(s) retrying their commits");
    }

    /** A gauge's value; 0 when the daemon has not registered it (no meters: nothing known to be wrong). */
    private static double gauge(MeterRegistry registry, String name) {
        Gauge gauge = registry.find(name).gauge();
        return gauge == null ? 0 : gauge.value();
    }
}
