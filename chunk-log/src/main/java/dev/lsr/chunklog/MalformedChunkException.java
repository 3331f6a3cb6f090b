package dev.lsr.chunklog;

/** A chunk payload that is not a single JSON object. */
public final class MalformedChunkException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedChunkException(String reason) {
        super(reason);
    }

    public MalformedChunkException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
