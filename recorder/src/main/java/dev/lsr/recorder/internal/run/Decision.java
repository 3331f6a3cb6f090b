package dev.lsr.recorder.internal.run;

import dev.lsr.chunklog.RecordType;
import dev.lsr.recorder.internal.letta.Run;
import java.time.Duration;
import java.time.Instant;

/** What the supervisor does after a run's connection failed or ended early. */
public sealed interface Decision {

    /** Reconnect after {@code delay}; {@code cause} goes into the resume record. */
    record Retry(Duration delay, String cause) implements Decision {}

    /** The server refused the run for good (410, 404, 400): record the refusal, stop. */
    record Refuse(RecordType kind, int statusCode, String detail) implements Decision {}

    /** The run has ended on the server and reconnecting brings nothing more: record the end, stop. */
    record Finish(Run run) implements Decision {}

    /** No progress for too long while the server says the run is active: record that, stop. */
    record Abandon(String serverStatus, Instant lastProgressAt, Duration waited) implements Decision {}

    /** Nothing can work (credentials rejected): stop the recorder. */
    record Fatal(String message) implements Decision {}
}
