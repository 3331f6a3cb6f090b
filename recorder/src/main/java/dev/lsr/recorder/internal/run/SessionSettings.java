package dev.lsr.recorder.internal.run;

import dev.lsr.kernel.Backoff;
import java.time.Duration;

/**
 * Timing of a run's supervision.
 *
 * @param backoff           the reconnect backoff (reset after progress)
 * @param finishWait        how long to poll {@code GET /v1/runs/{id}} for a terminal status after the stream ended
 * @param discoveryTimeout  how long run discovery looks for the run of a lost send
 * @param discoveryInterval how often run discovery asks
 */
public record SessionSettings(
        Backoff backoff, Duration finishWait, Duration discoveryTimeout, Duration discoveryInterval) {}
