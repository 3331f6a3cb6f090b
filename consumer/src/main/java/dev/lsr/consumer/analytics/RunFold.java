package dev.lsr.consumer.analytics;

import dev.lsr.consumer.reader.ReadProblem;
import dev.lsr.consumer.reader.RunRecord;

/**
 * A per-run fold that an {@link AnalyticsJob} keeps up to date exactly once. The job hands it every
 * readable record of a run exactly once, in log order, across crashes and restarts. That includes a
 * chunk the recorder may have appended twice (same position): a fold that counts content
 * deduplicates by position itself, as the run summary does. Records that cannot be read are handed
 * to {@link #unreadable}.
 *
 * <p>The state may be mutable: the job owns it once returned, and after a failed transaction it
 * throws it away and restores it from the summary topic.
 *
 * @param <S> the per-run state
 */
public interface RunFold<S> {

    /** The state of a run before its first record. */
    S initial(String runId);

    /** The state after one more record. */
    S apply(S state, RunRecord record);

    /** The state after a record of the run that could not be read (skipped, already logged). */
    default S unreadable(S state, ReadProblem problem) {
        return state;
    }

    /** The summary topic's value for the run: what consumers of the topic read (UTF-8 JSON). */
    byte[] value(S state);

    /** Everything the fold needs to continue (stored beside the value), as bytes. */
    byte[] saveState(S state);

    /** Reads back what {@link #saveState} wrote. */
    S restoreState(String runId, byte[] saved);
}
