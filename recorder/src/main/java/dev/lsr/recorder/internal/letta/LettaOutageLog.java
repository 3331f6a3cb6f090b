package dev.lsr.recorder.internal.letta;

import dev.lsr.kernel.OutageLog;
import dev.lsr.recorder.RecorderListener;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Letta's outage log: one WARN line and {@link RecorderListener#lettaOutageStarted} per outage (and a "still failing"
 * line a minute), one INFO line and {@link RecorderListener#lettaOutageEnded} when it ends ({@link OutageLog}); and
 * the one WARN line for a Letta without Redis. Told by {@link OutageTrackingLettaApi} how each call that says something
 * about Letta ended: of the listings, only the outcome {@link LettaCallHealth} keeps, in the same step.
 */
final class LettaOutageLog {

    /** The lines keep the logger they were always written with. */
    private static final Logger log = LoggerFactory.getLogger(OutageTrackingLettaApi.class);

    private final RecorderListener listener;
    private final OutageLog outage;
    private final AtomicBoolean noRedisWarned = new AtomicBoolean();

    LettaOutageLog(RecorderListener listener, Clock clock) {
        this.listener = listener;
        this.outage = new OutageLog(
                log,
                new OutageLog.Wording(
                        "Letta",
                        "is unreachable",
                        "runs and the watcher retry with backoff until it answers again",
                        "answers again"),
                clock);
    }

    /** A call failed with {@code e}: an outage ({@link OutageTrackingLettaApi#isOutage}) or Letta answering. */
    void failed(IOException e) {
        if (OutageTrackingLettaApi.isOutage(e)) {
            if (outage.failed(e.getMessage())) {
                listener.lettaOutageStarted(e);
            }
        } else {
            answered();
            warnOnceIfLettaHasNoRedis(e);
        }
    }

    /** Letta answered a call: ends the outage, if there was one. */
    void answered() {
        outage.succeeded().ifPresent(recovered -> listener.lettaOutageEnded(recovered.outage()));
    }

    boolean inOutage() {
        return outage.inOutage();
    }

    /**
     * Letta without Redis is a configuration of Letta that no retry mends, and no outage is logged for it: one
     * WARN line says so, the first time (each run's retries log at INFO, and it ends as {@code run.abandoned}).
     */
    private void warnOnceIfLettaHasNoRedis(IOException e) {
        if (e instanceof LettaHttpException http
                && http.backgroundStreamingUnavailable()
                && noRedisWarned.compareAndSet(false, true)) {
            log.warn(
                    "Letta answers that it runs without Redis ({}): it cannot stream or resume a background run until"
                            + " it runs with one; runs keep retrying and are abandoned after --abandon-after without"
                            + " progress. Logged once.",
                    http.getMessage());
        }
    }
}
