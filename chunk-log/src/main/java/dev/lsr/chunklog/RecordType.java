package dev.lsr.chunklog;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a record in the chunk topic is; carried in the CloudEvents {@code ce_type} header.
 *
 * <p>{@link #CHUNK} records hold a Letta chunk verbatim. All other types are lifecycle records the
 * recorder writes itself, under the same key (the run id), with a JSON value described in
 * {@code docs/record-format.md}.
 */
public enum RecordType {
    /** One SSE {@code data:} payload of a run, byte for byte. */
    CHUNK("com.letta.stream.chunk"),
    /** A frame the recorder received but could not append as a chunk (malformed, invalid UTF-8, oversized). */
    CHUNK_REJECTED("dev.lsr.chunk.rejected"),
    /** The recorder attached to a run; value holds the Run object as the server returned it. */
    RUN_ATTACHED("dev.lsr.run.attached"),
    /** The recorder reconnected to a run after a disconnect or a restart. */
    RUN_RESUMED("dev.lsr.run.resumed"),
    /** Stored frames of the run are gone from the server (trimmed or expired) and missing from the log. */
    RUN_GAP("dev.lsr.run.gap"),
    /** The run reached its end; value holds the stop reason and the server's final status. */
    RUN_FINISHED("dev.lsr.run.finished"),
    /** The server answered 410: the run is older than the server's retention. */
    RUN_EXPIRED("dev.lsr.run.expired"),
    /** The server answered 404: the run does not exist (any more). */
    RUN_GONE("dev.lsr.run.gone"),
    /** The server answered 400: the run was not created in background mode. */
    RUN_NOT_RESUMABLE("dev.lsr.run.not_resumable"),
    /** No progress while the server still said the run was active, for longer than allowed. */
    RUN_ABANDONED("dev.lsr.run.abandoned"),
    /**
     * The server cut one connection with an {@code event: error} frame of that connection only (a
     * Letta Cloud deploy, the legacy response writer failing) while the run went on; the recorder
     * reconnected. Takes no position: the frame is not part of the run's stream.
     */
    CONNECTION_ERROR("dev.lsr.connection.error");

    private final String cloudEventType;

    RecordType(String cloudEventType) {
        this.cloudEventType = cloudEventType;
    }

    public String cloudEventType() {
        return cloudEventType;
    }

    public boolean isLifecycle() {
        return this != CHUNK && this != CHUNK_REJECTED;
    }

    /** True for the lifecycle records after which the recorder appends nothing more for the run. */
    public boolean isTerminal() {
        return switch (this) {
            case RUN_FINISHED, RUN_EXPIRED, RUN_GONE, RUN_NOT_RESUMABLE, RUN_ABANDONED -> true;
            default -> false;
        };
    }

    public static Optional<RecordType> fromCloudEventType(String type) {
        return Arrays.stream(values())
                .filter(t -> t.cloudEventType.equals(type))
                .findFirst();
    }
}
