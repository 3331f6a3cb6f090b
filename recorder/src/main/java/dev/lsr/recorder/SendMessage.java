package dev.lsr.recorder;

import java.util.Objects;
import java.util.UUID;

/**
 * A user message to send to an agent in background mode, whose run the recorder then records.
 * Exactly one of {@code agentId} and {@code conversationId} is the target; with conversation
 * {@code "default"} the agent id is required too (agent-direct mode).
 *
 * @param agentId        the agent, or null when sending to a conversation
 * @param conversationId the conversation, or null when sending to the agent directly
 * @param text           the message text
 * @param otid           our own id for the message: it lets the recorder find the run again when
 *                       the response is lost before the run id is known
 */
public record SendMessage(String agentId, String conversationId, String text, String otid) {

    public SendMessage {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(otid, "otid");
        if (agentId == null && conversationId == null) {
            throw new IllegalArgumentException("a message needs an agent id or a conversation id");
        }
        if ("default".equals(conversationId) && agentId == null) {
            throw new IllegalArgumentException("conversation 'default' needs an agent id");
        }
    }

    /** A message to an agent directly, with a fresh otid. */
    public static SendMessage toAgent(String agentId, String text) {
        return new SendMessage(
                Objects.requireNonNull(agentId, "agentId"),
                null,
                text,
                UUID.randomUUID().toString());
    }

    /** A message to a conversation, with a fresh otid. */
    public static SendMessage toConversation(String conversationId, String text) {
        return new SendMessage(
                null,
                Objects.requireNonNull(conversationId, "conversationId"),
                text,
                UUID.randomUUID().toString());
    }
}
