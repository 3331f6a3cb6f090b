package dev.lsr.consumer.analytics;

import dev.lsr.consumer.reader.ReplayEvent;

/**
 * A per-run fold that an {@link AnalyticsJob} keeps up to date exactly once. The job hands it the
 * reader's events ({@link ReplayEvent}) of a run exactly once each, in log order, across crashes and
 * restarts: a {@link ReplayEvent.Chunk} or {@link ReplayEvent.Lifecycle} for every readable record,
 * a {@link ReplayEvent.Unreadable} for a record of the run that could not be read (skipped, already
 * logged and counted). It hands no {@link ReplayEvent.Gap} or {@link ReplayEvent.End}: the job keeps
 * no order of its own across restarts, so every record comes with the verdict
 * {@link dev.lsr.chunklog.RunSequencer.Verdict#DELIVER}, including a chunk the recorder appended twice
 * (same position). A fold that counts content judges repeats and gaps itself with chunk-log's
 * {@link dev.lsr.chunklog.RunSequencer}, whose state it saves with its own, as the run summary does.
 *
 * <p>The state may be mutable: the job owns it once returned, and after a failed transaction it
 * throws it away and restores it from the summary topic.
 *
 * @param <S> the per-run state
 */
public interface RunFold<S> {

    /** The state of a run before its first record. */
    S initial(String runId);

    /** The state after one more event of the run. */
    S apply(S state, ReplayEvent event);

    /** The summary topic's value for the run: what consumers of the topic read (UTF-8 JSON). */
    byte[] value(S state);

    /** Everything the fold needs to continue (stored beside the value), as bytes. */
    byte[] saveState(S state);

    /** Reads back what {@link #saveState} wrote. */
    S restoreState(String runId, byte[] saved);
}
