package dev.lsr.consumer.projection;

import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import java.time.Instant;
import java.util.Objects;

/**
 * One item of a run's log as the transcript and summary folds read it: a chunk with its position and
 * receipt time, a recorder lifecycle record, or a record that could not be read. Receipt times are null
 * when unknown (chunks imported from JSONL).
 */
public sealed interface RunLogEntry
        permits RunLogEntry.ChunkEntry, RunLogEntry.LifecycleEntry, RunLogEntry.UnreadableEntry {

    /** The run, or null when unknown. */
    String runId();

    Position position();

    /** When the recorder received it, or null. */
    Instant receivedAt();

    /** A chunk. {@code sizeBytes} is the payload size. */
    record ChunkEntry(
            String runId,
            Chunk chunk,
            Position position,
            Instant receivedAt,
            int sizeBytes,
            String agentId,
            String conversationId)
            implements RunLogEntry {
        public ChunkEntry {
            Objects.requireNonNull(chunk, "chunk");
            Objects.requireNonNull(position, "position");
        }

        public boolean isPing() {
            return "ping".equals(chunk.messageType());
        }
    }

    /** A record the recorder wrote itself ({@code RUN_ATTACHED}, {@code RUN_RESUMED}, {@code CHUNK_REJECTED}, ...). */
    record LifecycleEntry(
            String runId,
            RecordType type,
            LifecycleEvent event,
            Position position,
            Instant receivedAt,
            String agentId,
            String conversationId)
            implements RunLogEntry {
        public LifecycleEntry {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(position, "position");
        }
    }

    /** A record whose value could not be read (malformed chunk JSON, unreadable lifecycle value). */
    record UnreadableEntry(String runId, RecordType type, Position position, Instant receivedAt, String reason)
            implements RunLogEntry {}
}
