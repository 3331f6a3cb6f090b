package dev.lsr.recorder.internal.run;

import java.time.Instant;

/**
 * The supervisor's memory of a run between decisions.
 *
 * @param lastProgressAt            when a record was last appended for the run (or it was attached)
 * @param serverEndSeen             whether an earlier decision already saw the run ended on the server
 * @param progressSinceLastDecision whether anything was appended since the previous decision
 * @param connectedSinceLastDecision whether a connection opened since the previous decision
 * @param lastKnownStatus           the last status the server reported, or null
 */
public record RunHealth(Instant lastProgressAt, boolean serverEndSeen, boolean progressSinceLastDecision,
                        boolean connectedSinceLastDecision, String lastKnownStatus) {
}
