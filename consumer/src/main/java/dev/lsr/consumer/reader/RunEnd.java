package dev.lsr.consumer.reader;

import dev.lsr.chunklog.RecordType;
import java.util.Objects;

/**
 * How the log of one run ends, as far as the reader can tell.
 *
 * @param runId        the run
 * @param outcome      ended by the recorder, ended in content only, or truncated
 * @param terminalType the recorder's terminal record type for {@link Outcome#ENDED}, else null
 */
public record RunEnd(String runId, Outcome outcome, RecordType terminalType) {

    /** The three ways a run's log can end. */
    public enum Outcome {
        /** The recorder wrote a terminal record (finished, expired, gone, not resumable, abandoned). */
        ENDED,
        /** No terminal record, but a terminal chunk ({@code stop_reason} or an error frame). */
        ENDED_IN_CONTENT,
        /** Neither by the end of a bounded replay: the log of the run is incomplete. */
        TRUNCATED
    }

    public RunEnd {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(outcome, "outcome");
    }

    public boolean isTruncated() {
        return outcome == Outcome.TRUNCATED;
    }
}
