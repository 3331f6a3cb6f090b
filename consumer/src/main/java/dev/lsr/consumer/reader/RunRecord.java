package dev.lsr.consumer.reader;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.Envelope;
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
 * @param json      for a chunk, its value as the reader parsed it (read-only, shared), so that folds need
 *                  not parse it again; null when not kept (see {@link #withoutJson()}) and for recorder records
 */
public record RunRecord(
        LogLocation location, ChunkLogRecord record, ChunkPeek peek, LifecycleEvent lifecycle, ObjectNode json) {

    /** A record without a parsed value. */
    public RunRecord(LogLocation location, ChunkLogRecord record, ChunkPeek peek, LifecycleEvent lifecycle) {
        this(location, record, peek, lifecycle, null);
    }

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

    /** Everything about the record except its value: run, position, agent, conversation, SSE event... */
    public Envelope envelope() {
        return record.envelope();
    }

    public Instant receivedAt() {
        return record.envelope().receivedAt();
    }

    /** The chunk's {@code message_type}, or null (recorder records, writer-level error frames). */
    public String messageType() {
        return peek == null ? null : peek.messageType();
    }

    /**
     * The same record without its parsed value, for listeners that keep many records: the tree is
     * several times the size of the bytes it was parsed from.
     */
    public RunRecord withoutJson() {
        return json == null ? this : new RunRecord(location, record, peek, lifecycle, null);
    }

    /** The value as UTF-8 text: for a chunk, the JSON exactly as received. */
    public String valueText() {
        return record.valueText();
    }
}
