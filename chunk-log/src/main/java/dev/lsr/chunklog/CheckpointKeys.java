package dev.lsr.chunklog;

/**
 * The keys of the checkpoint topic: a run id, or one of the log's own records ({@link LogLayout#KEY},
 * {@link CheckpointRebuild#KEY}), which all start with {@link #RESERVED_PREFIX}. Run ids never start
 * with an underscore; readers that list runs skip every reserved key, including ones they do not know.
 */
public final class CheckpointKeys {

    public static final String RESERVED_PREFIX = "__lsr.";

    private CheckpointKeys() {}

    /** True for a run id, false for one of the log's own records. */
    public static boolean isRun(String key) {
        return !key.startsWith(RESERVED_PREFIX);
    }
}
