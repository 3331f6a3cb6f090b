package dev.lsr.chunklog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The values of the records the recorder writes itself. The record type lives in the
 * {@code ce_type} header, so the JSON value carries only the fields below (snake_case).
 */
public sealed interface LifecycleEvent {

    RecordType type();

    /** Attached to a run. {@code run} is the Run object from {@code GET /v1/runs/{id}} (may be null). */
    record RunAttached(
            @JsonProperty("mode") String mode,
            @JsonProperty("starting_after") long startingAfter,
            @JsonProperty("run") JsonNode run)
            implements LifecycleEvent {
        @Override
        public RecordType type() {
            return RecordType.RUN_ATTACHED;
        }
    }

    /**
     * Reconnected. {@code cause}: {@code eof}, {@code io_error}, {@code stall}, {@code error_frame}, {@code http_<status>},
     * {@code restart}, {@code reattach}.
     */
    record RunResumed(
            @JsonProperty("attempt") int attempt,
            @JsonProperty("starting_after") long startingAfter,
            @JsonProperty("cause") String cause)
            implements LifecycleEvent {

        /** The cause of a run continued from the log's checkpoint by a recorder that started (again). */
        public static final String RESTART = "restart";

        /** The cause of a run continued after a failed recording of the same recorder went further than the log. */
        public static final String REATTACH = "reattach";

        @Override
        public RecordType type() {
            return RecordType.RUN_RESUMED;
        }
    }

    /**
     * Letta's stored frames {@code from .. to} (its seq numbers, inclusive) are missing from the log:
     * the server no longer had them when the recorder read on. {@code to} is null when the gap runs to
     * the end of the run. {@code cause}: {@code trimmed} (the stream went on after a higher seq than
     * the next one), {@code expired}, {@code gone}, {@code not_resumable} (a resume was refused for good, 410, 404
     * or 400, after frames were recorded).
     */
    record RunGap(
            @JsonProperty("from") long from,
            @JsonProperty("to") Long to,
            @JsonProperty("cause") String cause) implements LifecycleEvent {
        public RunGap {
            if (from < 1 || (to != null && to < from)) {
                throw new IllegalArgumentException("not a gap: " + from + " .. " + to);
            }
        }

        /** How many seq numbers are missing, or -1 when the gap runs to the (unknown) end of the run. */
        public long missing() {
            return to == null ? -1 : to - from + 1;
        }

        @Override
        public RecordType type() {
            return RecordType.RUN_GAP;
        }
    }

    /** The run ended: its last stop reason (null if none was seen) and the server's final Run. */
    record RunFinished(
            @JsonProperty("stop_reason") String stopReason,
            @JsonProperty("status") String status,
            @JsonProperty("run") JsonNode run)
            implements LifecycleEvent {
        @Override
        public RecordType type() {
            return RecordType.RUN_FINISHED;
        }
    }

    /** The server refused the run with an HTTP status: 410 expired, 404 gone, 400 not resumable. */
    record RunRefused(
            @JsonProperty("kind") RecordType kind,
            @JsonProperty("status_code") int statusCode,
            @JsonProperty("detail") String detail)
            implements LifecycleEvent {
        public RunRefused {
            if (kind != RecordType.RUN_EXPIRED && kind != RecordType.RUN_GONE && kind != RecordType.RUN_NOT_RESUMABLE) {
                throw new IllegalArgumentException("not a refusal: " + kind);
            }
        }

        @Override
        public RecordType type() {
            return kind;
        }
    }

    /** No progress for {@code waitedMillis} while the server reported {@code serverStatus}. */
    record RunAbandoned(
            @JsonProperty("server_status") String serverStatus,
            @JsonProperty("last_progress_at") Instant lastProgressAt,
            @JsonProperty("waited_ms") long waitedMillis)
            implements LifecycleEvent {
        @Override
        public RecordType type() {
            return RecordType.RUN_ABANDONED;
        }
    }

    /**
     * A frame that could not be appended as a chunk. {@code reason}: {@code malformed_json},
     * {@code invalid_utf8}, {@code oversized}. {@code prefix} holds at most the first 256 characters
     * of the payload (lossily decoded) for diagnosis.
     */
    record ChunkRejected(
            @JsonProperty("reason") String reason,
            @JsonProperty("detail") String detail,
            @JsonProperty("sse_event") String sseEvent,
            @JsonProperty("size_bytes") int sizeBytes,
            @JsonProperty("prefix") String prefix)
            implements LifecycleEvent {
        @Override
        public RecordType type() {
            return RecordType.CHUNK_REJECTED;
        }
    }

    /**
     * A per-connection {@code event: error} frame: {@code frame} is its JSON as received (Cloud's
     * {@code error_message} with {@code error_code}, {@code status_code}, {@code retryable}, or the
     * legacy writer's {@code {"error": ..., "code": ...}}).
     */
    record ConnectionError(
            @JsonProperty("sse_event") String sseEvent,
            @JsonProperty("frame") JsonNode frame) implements LifecycleEvent {
        @Override
        public RecordType type() {
            return RecordType.CONNECTION_ERROR;
        }
    }

    default byte[] toJson() {
        try {
            return Json.MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the value of a recorder record of the given type.
     *
     * @throws UnreadableRecordException when the JSON does not fit the type
     */
    static LifecycleEvent fromJson(RecordType type, byte[] json) {
        Class<? extends LifecycleEvent> valueClass = switch (type) {
            case RUN_ATTACHED -> RunAttached.class;
            case RUN_RESUMED -> RunResumed.class;
            case RUN_GAP -> RunGap.class;
            case RUN_FINISHED -> RunFinished.class;
            case RUN_EXPIRED, RUN_GONE, RUN_NOT_RESUMABLE -> RunRefused.class;
            case RUN_ABANDONED -> RunAbandoned.class;
            case CHUNK_REJECTED -> ChunkRejected.class;
            case CONNECTION_ERROR -> ConnectionError.class;
            case CHUNK -> throw new IllegalArgumentException("a chunk is not a lifecycle event");
        };
        if (json == null) {
            throw new UnreadableRecordException("a " + type.cloudEventType() + " record without a value");
        }
        LifecycleEvent event;
        try {
            event = Json.MAPPER.readValue(json, valueClass);
        } catch (IOException e) {
            throw new UnreadableRecordException("unreadable " + type.cloudEventType() + " value: " + e.getMessage(), e);
        }
        if (event == null) {
            // Jackson reads the JSON literal null as no object, without an error
            throw new UnreadableRecordException("unreadable " + type.cloudEventType() + " value: null");
        }
        return event;
    }
}
