package dev.lsr.recorder.internal.letta;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.LettaTimes;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A Letta Run object: the fields the recorder decides with, and the JSON as the server sent it.
 *
 * @param id             the run id
 * @param status         {@code created}, {@code running}, {@code completed}, {@code failed}, {@code cancelled} (or another)
 * @param createdAt      when the run was created, or null if absent or unreadable
 * @param completedAt    when the run ended, or null if absent, unreadable or not ended
 * @param agentId        the agent, or null
 * @param conversationId the conversation, or null (agent-direct runs)
 * @param background     whether the run streams in background mode (resumable), or null if absent
 * @param stopReason     the server's stop reason, or null
 * @param json           the whole object
 */
public record Run(
        String id,
        String status,
        Instant createdAt,
        Instant completedAt,
        String agentId,
        String conversationId,
        Boolean background,
        String stopReason,
        JsonNode json) {

    private static final Set<String> ACTIVE = Set.of("created", "running", "pending", "not_started");

    public Run {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(json, "json");
    }

    /** Reads a Run object. */
    public static Run fromJson(JsonNode json) {
        String id = text(json, "id");
        if (id == null) {
            throw new IllegalArgumentException("run object without an id");
        }
        JsonNode background = json.get("background");
        return new Run(
                id,
                text(json, "status"),
                LettaTimes.parse(text(json, "created_at")),
                LettaTimes.parse(text(json, "completed_at")),
                text(json, "agent_id"),
                text(json, "conversation_id"),
                background != null && background.isBoolean() ? background.asBoolean() : null,
                text(json, "stop_reason"),
                json);
    }

    /** True while the run may still produce chunks ({@code created}, {@code running}, ...). */
    public boolean isActive() {
        return status == null || ACTIVE.contains(status);
    }

    /**
     * When the run ended as far as Letta says: its {@code completed_at}, else (an ended run without one) its
     * {@code created_at}, which is earlier still; null while it is active or when neither is known.
     */
    public Instant endedAt() {
        if (isActive()) {
            return null;
        }
        return completedAt != null ? completedAt : createdAt;
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
