package dev.lsr.chunklog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Written by the recorder into a checkpoint partition it rebuilt from the chunk log, under the key
 * {@link #KEY}, in the transaction of the rebuilt checkpoints. A checkpoint partition whose first
 * offset is above 0 lost records (Kafka's cleaner never moves the first offset; only a deletion or a
 * retention does), so runs may have lost their last checkpoint; this record says that the rebuild
 * covered every deletion up to {@code logStartOffset}. A later deletion is not covered.
 *
 * @param logStartOffset the partition's first offset when it was rebuilt
 * @param rebuiltAt      when it was rebuilt
 * @param formatVersion  the chunk-log format version
 */
public record CheckpointRebuild(
        @JsonProperty("log_start_offset") long logStartOffset,
        @JsonProperty("rebuilt_at") Instant rebuiltAt,
        @JsonProperty("format_version") int formatVersion) {

    /** The key of the rebuild record in each rebuilt partition; never a run id ({@link CheckpointKeys}). */
    public static final String KEY = CheckpointKeys.RESERVED_PREFIX + "checkpoints-rebuilt";

    public static CheckpointRebuild of(long logStartOffset, Instant rebuiltAt) {
        return new CheckpointRebuild(logStartOffset, rebuiltAt, ChunkLogFormat.VERSION);
    }

    /** True when this rebuild came after every deletion that left the partition starting at {@code logStart}. */
    public boolean covers(long logStart) {
        return logStartOffset >= logStart;
    }

    public byte[] toJson() {
        try {
            return Json.MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CheckpointRebuild fromJson(byte[] json) {
        CheckpointRebuild rebuild;
        try {
            rebuild = Json.MAPPER.readValue(json, CheckpointRebuild.class);
        } catch (IOException e) {
            throw new UnreadableRecordException("unreadable checkpoint rebuild record: " + e.getMessage(), e);
        }
        if (rebuild == null) {
            throw new UnreadableRecordException("unreadable checkpoint rebuild record: null");
        }
        if (rebuild.formatVersion() > ChunkLogFormat.VERSION) {
            throw new NewerFormatException(rebuild.formatVersion());
        }
        if (rebuild.logStartOffset() < 0 || rebuild.rebuiltAt() == null) {
            throw new UnreadableRecordException("checkpoint rebuild record without its offset or time");
        }
        return rebuild;
    }
}
