package dev.lsr.recorder.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.recorder.RecorderConfig;
import dev.lsr.recorder.RecorderDaemon;
import dev.lsr.recorder.RunOutcome;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A recorder started for one attach: the restart tests' "a recorder, then another one hours later". */
public final class OneAttach {

    private OneAttach() {}

    /**
     * Starts a recorder with {@code clock}, attaches {@code runId}, waits {@code afterwards} once the attach has an
     * outcome (a watcher's rounds), and stops the recorder.
     */
    public static RunOutcome attachOnce(RecorderConfig config, Clock clock, String runId, Duration afterwards)
            throws Exception {
        RecorderDaemon daemon = RecorderDaemon.builder(config).clock(clock).build();
        Thread thread = Thread.ofPlatform().name("daemon").start(daemon);
        try {
            assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));
            RunOutcome outcome = daemon.attach(runId).get(30, TimeUnit.SECONDS);
            Thread.sleep(afterwards.toMillis());
            return outcome;
        } finally {
            daemon.close();
            thread.join(30_000);
        }
    }
}
