package dev.lsr.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.kernel.LifecycleState;
import dev.lsr.recorder.testing.LogCapture;
import dev.lsr.sim.LettaSim;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import okhttp3.OkHttpClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Letta going away while the recorder runs is an outage, not a failure: the daemon keeps running, logs
 * it once (however many polls fail meanwhile) and counts it, and says when Letta answers again.
 */
@ExtendWith(KafkaBrokerExtension.class)
class LettaOutageIT {

    @Test
    void anUnreachableLettaIsOneOutageLoggedOnceAndCounted(KafkaBroker broker) throws Exception {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        LettaSim sim = LettaSim.builder().start();
        int port = sim.port();
        RecorderConfig config = RecorderConfig.builder(sim.baseUrl())
                .bootstrapServers(broker.bootstrapServers())
                .topic(broker.uniqueTopic("outage"))
                .partitions(1)
                .pollInterval(Duration.ofMillis(50))
                .build();
        OkHttpClient http =
                new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
        AtomicInteger calls = new AtomicInteger();
        RecorderDaemon daemon = RecorderDaemon.builder(config)
                .meterRegistry(metrics)
                .calls(request -> {
                    calls.incrementAndGet();
                    return http.newCall(request);
                })
                .build();
        try (LogCapture logs = LogCapture.capture()) {
            Thread thread = Thread.ofPlatform().start(daemon);
            assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));

            sim.close();
            await(() -> count(metrics) == 1, "the outage was counted");
            int callsAtOutage = calls.get();
            // three more failing calls: enough to show one WARN for many failures, few enough that the watcher's
            // growing backoff between failed listings does not make the test wait for long
            await(() -> calls.get() >= callsAtOutage + 3, "more polls failed during the outage");
            LettaSim back = LettaSim.builder().port(port).start();
            try {
                await(() -> logs.lines().stream().anyMatch(l -> l.contains("Letta answers again")), "the outage ended");

                assertEquals(LifecycleState.RUNNING, daemon.state());
                assertEquals(1, count(metrics));
                List<String> warnings = logs.lines().stream()
                        .filter(l -> l.contains("Letta is unreachable"))
                        .toList();
                assertEquals(1, warnings.size(), String.join("\n", logs.lines()));
                assertEquals(
                        0.0,
                        metrics.get("lsr.recorder.letta.unreachable").gauge().value());
            } finally {
                daemon.close();
                thread.join(30_000);
                back.close();
            }
        }
    }

    private static double count(SimpleMeterRegistry metrics) {
        Counter counter = metrics.find("lsr.recorder.letta.outages").counter();
        return counter == null ? 0 : counter.count();
    }

    private static void await(BooleanSupplier condition, String what) {
        Awaitility.await(what)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }
}
