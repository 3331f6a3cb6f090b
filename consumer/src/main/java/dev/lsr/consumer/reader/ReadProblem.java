package dev.lsr.consumer.reader;

import java.util.Objects;

/**
 * Something in the log the reader could not use as it is, reported with its run and location. A
 * problem never stops a replay: the record is skipped (or the run marked) and reading goes on.
 *
 * @param kind     what went wrong
 * @param runId    the run, or null when not even the record key says
 * @param location where (for a truncated run: its last record)
 * @param detail   the reason, one line, free of secrets
 */
public record ReadProblem(Kind kind, String runId, LogLocation location, String detail) {

    /**
     * The kinds of problems; the first four skip a record, the next two describe a run, the last a frame the log
     * holds only as the recorder's note that it could not keep it.
     */
    public enum Kind {
        /** Headers or value cannot be read (missing header, bad JSON, key mismatch...): skipped. */
        UNREADABLE_RECORD("unreadable record"),
        /** Written in a newer chunk-log format version than this reader knows: skipped. */
        NEWER_FORMAT("newer format"),
        /** A chunk whose {@code message_type} this reader does not know: skipped. */
        UNKNOWN_MESSAGE_TYPE("unknown message type"),
        /** Any other chunk that is no JSON object: skipped. */
        MALFORMED_CHUNK("malformed chunk"),
        /** Visible seq numbers are missing before this chunk (see {@code docs/consumer.md}). */
        GAP("gap"),
        /** No terminal record and no terminal chunk by the end of a bounded replay. */
        TRUNCATED_RUN("truncated run"),
        /**
         * A {@code chunk.rejected} record: the recorder could not keep a frame as a chunk (over Kafka's limit, not
         * JSON, not UTF-8). The record stands at the frame's position and is delivered; whatever is rebuilt from the
         * run misses the frame.
         */
        REJECTED_CHUNK("rejected chunk");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public ReadProblem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(detail, "detail");
    }

    /** One line: {@code truncated run run-1 at letta.chunks-0@41: ...}. */
    public String describe() {
        return kind.label() + (runId == null ? "" : " " + runId) + " at " + location + ": " + detail;
    }
}
