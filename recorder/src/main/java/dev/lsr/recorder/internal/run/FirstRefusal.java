package dev.lsr.recorder.internal.run;

import dev.lsr.recorder.RunOutcome;
import java.util.Optional;

/**
 * What a fresh session does when Letta refuses its run for good (410, 404) before anything of the run was appended and
 * without its Run object: record the refusal, or end with another outcome and append nothing. A run asked for by id
 * that ended before the log's window may be in the log already, its checkpoint removed; the intake decides.
 */
@FunctionalInterface
public interface FirstRefusal {

    /** Empty to record the refusal; else the outcome to end with instead, nothing appended. */
    Optional<RunOutcome> insteadOf(String runId);

    /** Records every refusal. */
    FirstRefusal RECORD = runId -> Optional.empty();
}
