package dev.lsr.chunklog;

/**
 * A record in the chunk topic that this code cannot read: missing or malformed headers, a newer
 * format version, an unknown type. Carries the reason; the reader adds topic, partition and offset.
 */
public class UnreadableRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnreadableRecordException(String reason) {
        super(reason);
    }

    public UnreadableRecordException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
