package dev.lsr.recorder.internal.intake;

import java.io.Serial;
import java.time.Duration;
import java.time.Instant;

/**
 * A run without a checkpoint that Letta says ended before the log's window: the log may have held it and removed
 * its checkpoint since, and Letta no longer streams a run that old, so recording it afresh could only append a
 * second terminal record. The caller leaves it alone.
 */
final class EndedLongAgoException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    EndedLongAgoException(String runId, Instant endedAt, Instant now) {
        super("Run " + runId + " ended " + Duration.between(endedAt, now).toMinutes()
                + " min ago, before the log's window: no checkpoint of a run that old is kept, and Letta no longer"
                + " streams it; not recorded again");
    }
}
