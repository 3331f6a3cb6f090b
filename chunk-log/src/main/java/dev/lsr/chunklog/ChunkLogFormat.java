package dev.lsr.chunklog;

/**
 * The versioned constants of the chunk-log format. See {@code docs/record-format.md}.
 */
public final class ChunkLogFormat {

    /** The format version this code writes. Readers accept every version up to this one. */
    public static final int VERSION = 1;

    public static final String CONTENT_TYPE_JSON = "application/json";
    public static final String CLOUDEVENTS_SPEC_VERSION = "1.0";

    /** Kafka header names: CloudEvents 1.0 Kafka protocol binding, binary content mode. */
    public static final class Headers {
        public static final String SPEC_VERSION = "ce_specversion";
        public static final String ID = "ce_id";
        public static final String SOURCE = "ce_source";
        public static final String TYPE = "ce_type";
        public static final String TIME = "ce_time";
        /** The run id (also the record key). */
        public static final String SUBJECT = "ce_subject";

        public static final String CONTENT_TYPE = "content-type";
        /** Extension: the chunk-log format version, a decimal integer. */
        public static final String FORMAT_VERSION = "ce_lsrformat";
        /** Extension: the position, as {@link Position#toString()}. */
        public static final String POSITION = "ce_lsrposition";
        /** Extension: the SSE event name, present only when the frame had one. */
        public static final String SSE_EVENT = "ce_lsrsseevent";
        /** Extension: the run's agent id, when known. */
        public static final String AGENT_ID = "ce_lsragentid";
        /** Extension: the run's conversation id, when known. */
        public static final String CONVERSATION_ID = "ce_lsrconversationid";

        private Headers() {}
    }

    private ChunkLogFormat() {}
}
