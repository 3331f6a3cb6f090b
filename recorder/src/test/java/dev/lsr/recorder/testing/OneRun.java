package dev.lsr.recorder.testing;

import dev.lsr.recorder.RecorderConfig;
import dev.lsr.recorder.RecorderDaemon;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Records one run by id with a recorder on one partition that watches nothing, retries fast and stops once the run
 * ended: the shape of the tests of one run's protocol edges.
 */
public final class OneRun {

    private OneRun() {}

    /** The recorder's settings. */
    public static RecorderConfig config(String lettaUrl, String bootstrapServers, String topic, String runId) {
        return RecorderConfig.builder(lettaUrl)
                .bootstrapServers(bootstrapServers)
                .topic(topic)
                .partitions(1)
                .watch(false)
                .stopWhenIdle(true)
                .attachRunIds(List.of(runId))
                .backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                .build();
    }

    /** Runs such a recorder until it stopped, then waits until {@code log} holds the run's terminal record. */
    public static void record(String lettaUrl, String bootstrapServers, String topic, String runId, CommittedLog log) {
        RecorderDaemon.create(config(lettaUrl, bootstrapServers, topic, runId)).run();
        log.awaitUntil(l -> l.ended(Set.of(runId)), Duration.ofSeconds(60));
    }
}
