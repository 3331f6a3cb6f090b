package dev.lsr.chunklog;

/** A record written in a format version newer than {@link ChunkLogFormat#VERSION}. */
public final class NewerFormatException extends UnreadableRecordException {

    private static final long serialVersionUID = 1L;

    private final int version;

    public NewerFormatException(int version) {
        super("record format version " + version + " is newer than this reader's " + ChunkLogFormat.VERSION);
        this.version = version;
    }

    public int version() {
        return version;
    }
}
