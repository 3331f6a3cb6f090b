package dev.lsr.recorder.internal.run;

import java.time.Instant;

/**
 * The supervisor's memory of a run between decisions.
 *
 * @param lastProgressAt             when a record was last appended for the run (or it was attached)
 * @param emptyConnectionsAfterEnd   how many connections in a row opened while the server said the run
 *                                   had ended and brought nothing new (this one included)
 * @param progressSinceLastDecision  whether anything was appended since the previous decision
 * @param connectedSinceLastDecision whether a connection opened since the previous decision
 * @param lastKnownStatus            the last status the server reported, or null
 * @param lettaUnreachableAt         when a call for the run last found no Letta to answer it (no connection, a
 *                                   gateway's 502/503/504: {@link
 *                                   dev.lsr.recorder.internal.letta.OutageTrackingLettaApi#isOutage}), or null
 */
public record RunHealth(
        Instant lastProgressAt,
        int emptyConnectionsAfterEnd,
        boolean progressSinceLastDecision,
        boolean connectedSinceLastDecision,
        String lastKnownStatus,
        Instant lettaUnreachableAt) {}
