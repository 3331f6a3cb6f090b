package dev.lsr.recorder.internal.run;

import dev.lsr.recorder.internal.letta.Run;

/** What {@code GET /v1/runs/{id}} said about a run after its connection ended early. */
public sealed interface ServerView {

    /** The run may still produce chunks. */
    record Active(Run run) implements ServerView {}

    /** The run has a terminal status. */
    record Ended(Run run) implements ServerView {}

    /** The server does not know the run (404). */
    record Missing(String detail) implements ServerView {}

    /**
     * The server refused to show this run (401/403) while it accepts the recorder's API key on its start-check
     * route: a run of another project or user, which the key may not read.
     */
    record Forbidden(int status, String detail) implements ServerView {}

    /** The server refused the run (401/403), and its start-check route too: the API key is rejected everywhere. */
    record KeyRejected(int status) implements ServerView {}

    /** The server could not be asked (I/O error, 5xx, ...). */
    record Unknown(String reason) implements ServerView {}
}
