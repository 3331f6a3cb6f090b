package dev.lsr.consumer.reader;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import java.time.Instant;
import java.util.Objects;

/**
 * One readable record of a run, in log order, as the reader hands it on: the chunk-log record, where
 * it was read, and what the reader already decoded of it.
 *
 * @param location  where it was read
 * @param record    envelope and value, exactly as in the log
 * @param peek      for a chunk, its {@code message_type}/{@code run_id}/{@code seq_id}; null otherwise
 * @param lifecycle for a recorder record, its decoded value; null for a chunk
 */
public record RunRecord(LogLocation location, ChunkLogRecord record, ChunkPeek peek, LifecycleEvent lifecycle) {

    public RunRecord {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(record, "record");
        if (record.type() == RecordType.CHUNK ? peek == null : lifecycle == null) {
            throw new IllegalArgumentException("a chunk needs its peek, a recorder record its lifecycle value");
        }
    }

    public String runId() {
        return record.runId();
    }

    public RecordType type() {
        return record.type();
    }

    public boolean isChunk() {
        return record.type() == RecordType.CHUNK;
    }

    public Position position() {
        return record.position();
    }

    public Instant receivedAt() {
        return record.envelope().receivedAt();
    }

    /** The chunk's {@code message_type}, or null (recorder records, writer-level error frames). */
    public String messageType() {
        return peek == null ? null : peek.messageType();
    }

    /** The value as UTF-8 text: for a chunk, the JSON exactly as received. */
    public String valueText() {
        return record.valueText();
    }
}
