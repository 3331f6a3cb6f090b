package dev.lsr.chunklog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The partition count a chunk log was created with, written once into partition 0 of its checkpoint
 * topic under the key {@link #KEY} (compaction keeps it: nothing ever deletes that key). A run's
 * partition is its key's hash modulo this count, so a log whose topics no longer have this many
 * partitions would move runs away from their records and checkpoints: the recorder refuses to start.
 *
 * @param partitions    partitions of the chunk topic and of its checkpoint topic
 * @param createdAt     when it was written
 * @param formatVersion the chunk-log format version
 */
public record LogLayout(
        @JsonProperty("partitions") int partitions,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("format_version") int formatVersion) {

    /** The key of the layout record; never a run id ({@link CheckpointKeys}). */
    public static final String KEY = CheckpointKeys.RESERVED_PREFIX + "layout";
    /** The checkpoint-topic partition that holds the layout record. */
    public static final int PARTITION = 0;

    public static LogLayout of(int partitions, Instant createdAt) {
        return new LogLayout(partitions, createdAt, ChunkLogFormat.VERSION);
    }

    public byte[] toJson() {
        try {
            return Json.MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static LogLayout fromJson(byte[] json) {
        LogLayout layout;
        try {
            layout = Json.MAPPER.readValue(json, LogLayout.class);
        } catch (IOException e) {
            throw new UnreadableRecordException("unreadable layout record: " + e.getMessage(), e);
        }
        if (layout == null) {
            throw new UnreadableRecordException("unreadable layout record: null");
        }
        if (layout.formatVersion() > ChunkLogFormat.VERSION) {
            throw new NewerFormatException(layout.formatVersion());
        }
        if (layout.partitions() <= 0) {
            throw new UnreadableRecordException("layout record without a positive partition count");
        }
        return layout;
    }
}
