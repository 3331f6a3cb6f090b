package dev.lsr.chunklog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Objects;

/**
 * The last committed position and state of one run, stored in the compacted checkpoint topic under
 * the run id, in the same transaction as the run's chunk records.
 *
 * @param runId          the run
 * @param position       the last position appended for the run (chunks only)
 * @param state          active, or how it ended
 * @param agentId        the run's agent, when known
 * @param conversationId the run's conversation, when known
 * @param updatedAt      when the recorder wrote this checkpoint
 */
public record Checkpoint(
        @JsonProperty("run_id") String runId,
        @JsonProperty("position") String position,
        @JsonProperty("state") RunState state,
        @JsonProperty("agent_id") String agentId,
        @JsonProperty("conversation_id") String conversationId,
        @JsonProperty("updated_at") Instant updatedAt,
        @JsonProperty("format_version") int formatVersion) {

    public Checkpoint {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(state, "state");
    }

    public static Checkpoint of(
            String runId, Position position, RunState state, String agentId, String conversationId, Instant updatedAt) {
        return new Checkpoint(
                runId, position.toString(), state, agentId, conversationId, updatedAt, ChunkLogFormat.VERSION);
    }

    public Position lastPosition() {
        return Position.parse(position);
    }

    /** The JSON of {@link Json#MAPPER}, written without Jackson when no value needs escaping ({@link CheckpointJson}). */
    public byte[] toJson() {
        byte[] json = CheckpointJson.write(this);
        return json != null ? json : jacksonJson();
    }

    byte[] jacksonJson() {
        try {
            return Json.MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws UnreadableRecordException when malformed or written in a newer format version */
    public static Checkpoint fromJson(byte[] json) {
        Checkpoint checkpoint;
        try {
            checkpoint = Json.MAPPER.readValue(json, Checkpoint.class);
        } catch (IOException | RuntimeException e) {
            throw new UnreadableRecordException("unreadable checkpoint: " + e.getMessage(), e);
        }
        if (checkpoint == null) {
            throw new UnreadableRecordException("unreadable checkpoint: null");
        }
        if (checkpoint.formatVersion() > ChunkLogFormat.VERSION) {
            throw new NewerFormatException(checkpoint.formatVersion());
        }
        try {
            checkpoint.lastPosition();
        } catch (IllegalArgumentException e) {
            throw new UnreadableRecordException(
                    "unreadable checkpoint of run " + checkpoint.runId() + ": " + e.getMessage(), e);
        }
        return checkpoint;
    }
}
