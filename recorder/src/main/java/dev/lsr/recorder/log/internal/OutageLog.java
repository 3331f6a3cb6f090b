package dev.lsr.recorder.log.internal;

import dev.lsr.recorder.log.RunLogListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a partition's commit failures once per outage (not once per retry): a WARN at the first
 * failure, DEBUG for the retries, an INFO when a commit succeeds again. Used by one committer thread.
 */
final class OutageLog {

    private static final Logger LOG = LoggerFactory.getLogger(OutageLog.class);

    private final PartitionId id;
    private final Clock clock;
    private final RunLogListener listener;
    private Instant since;
    private int failures;

    OutageLog(PartitionId id, Clock clock, RunLogListener listener) {
        this.id = id;
        this.clock = clock;
        this.listener = listener;
    }

    void failed(Throwable error, Duration nextPause) {
        failures++;
        if (since == null) {
            since = clock.instant();
            LOG.warn("{}: transaction failed ({}); retrying the same batch with backoff until it commits",
                    id, KafkaErrors.describe(error));
            listener.outageStarted(id.partition(), error);
        } else {
            LOG.debug("{}: attempt {} failed ({}), next in {}", id, failures, KafkaErrors.describe(error), nextPause);
        }
    }

    void succeeded() {
        if (since != null) {
            Duration outage = Duration.between(since, clock.instant());
            LOG.info("{}: committing again after {} ms and {} failed attempts", id, outage.toMillis(), failures);
            listener.outageEnded(id.partition(), outage, failures);
            since = null;
            failures = 0;
        }
    }

    boolean inOutage() {
        return since != null;
    }
}
