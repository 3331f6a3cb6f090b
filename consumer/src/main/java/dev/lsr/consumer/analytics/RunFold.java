package dev.lsr.consumer.analytics;

import dev.lsr.consumer.reader.RunRecord;

/**
 * A per-run fold that an {@link AnalyticsJob} keeps up to date exactly once: a pure function from a
 * run's state and its next record (in log order, duplicates already dropped) to its next state,
 * plus the JSON the state is stored as. The stored JSON must hold everything the fold needs to
 * continue: after a restart the job reads it back and goes on from the committed offset.
 *
 * @param <S> the state; treated as immutable or as owned by the job once returned
 */
public interface RunFold<S> {

    /** The state of a run before its first record. */
    S initial(String runId);

    /** The state after one more record. */
    S apply(S state, RunRecord record);

    /** The value written to the summary topic (UTF-8 JSON). */
    byte[] write(S state);

    /** Reads back what {@link #write} wrote. */
    S read(String runId, byte[] value);
}
