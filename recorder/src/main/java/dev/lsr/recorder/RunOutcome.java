package dev.lsr.recorder;

/**
 * How the recording of one run ended, as seen by a caller of {@link RunIntake}.
 *
 * @param runId  the run, or null when a send never produced one
 * @param kind   what happened
 * @param detail a short human-readable explanation (stop reason, HTTP detail, ...), may be null
 */
public record RunOutcome(String runId, Kind kind, String detail) {

    /** The ways a recording ends. */
    public enum Kind {
        /** The run's stream reached its end; {@code run.finished} was appended. */
        FINISHED,
        /** The server said 410; {@code run.expired} was appended. */
        EXPIRED,
        /** The server said 404; {@code run.gone} was appended. */
        GONE,
        /** The server said 400 (not a background run); {@code run.not_resumable} was appended. */
        NOT_RESUMABLE,
        /** No progress for too long while the server said the run was active; {@code run.abandoned} was appended. */
        ABANDONED,
        /** The recorder stopped before the run ended; a restarted recorder resumes it from its checkpoint. */
        INTERRUPTED,
        /** The log already holds this run's end; nothing was appended. */
        ALREADY_RECORDED,
        /**
         * Letta says the run ended before the log's window ({@code max(--catch-up, 3h)} plus 1 h): the log keeps
         * no checkpoint of a run that old (whether it was recorded cannot be told here) and Letta no longer
         * streams it. Nothing was appended, so a run recorded then gets no second terminal record.
         */
        ENDED_LONG_AGO,
        /** The log holds a checkpoint of the run it cannot read; nothing was appended (the run is left alone). */
        CHECKPOINT_UNREADABLE,
        /**
         * In a fleet: another member owns the run's partition; the run was offered to the fleet through the
         * intake topic and that member records it. Nothing was appended here.
         */
        FORWARDED,
        /** The message could not be sent and no run was found for it; nothing was appended. */
        SEND_FAILED,
        /** The recorder hit a failure it cannot continue after (fenced, log closed, credentials rejected). */
        FAILED
    }
}
