package dev.lsr.consumer.reader.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.Json;
import java.io.IOException;
import java.util.Set;

/** The Letta {@code message_type}s this reader knows (protocol §2), and which of them end a run. */
public final class MessageTypes {

    public static final String PING = "ping";
    public static final String STOP_REASON = "stop_reason";
    public static final String ERROR_MESSAGE = "error_message";
    /**
     * Letta Cloud's announcement of a provider retry or transport fallback (protocol §3.8): a chunk with
     * a position like any other; Letta Code's accumulator shows nothing for it.
     */
    public static final String RETRY_MESSAGE = "retry_message";

    private static final Set<String> KNOWN = Set.of(
            PING,
            "reasoning_message",
            "hidden_reasoning_message",
            "assistant_message",
            "tool_call_message",
            "approval_request_message",
            "approval_response_message",
            "tool_return_message",
            "user_message",
            "system_message",
            "event_message",
            "summary_message",
            STOP_REASON,
            "usage_statistics",
            ERROR_MESSAGE,
            "response_state",
            RETRY_MESSAGE);

    private MessageTypes() {}

    /**
     * True for a known {@code message_type}, and for the SSE writer's own frames, which have none:
     * {@code {"error": ...}} and the {@code event: cancelled} payload (recorded with its SSE event name).
     */
    public static boolean isKnown(String messageType, String sseEvent, byte[] value) {
        if (messageType != null) {
            return KNOWN.contains(messageType);
        }
        return sseEvent != null || isWriterErrorFrame(value);
    }

    private static boolean isWriterErrorFrame(byte[] value) {
        try {
            JsonNode node = Json.MAPPER.readTree(value);
            return node != null && node.has("error");
        } catch (IOException e) {
            return false;
        }
    }
}
