package dev.lsr.consumer.projection.lettacode.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Letta Code's {@code onChunk}: routes a chunk to its handler. Ignored: {@code hidden_reasoning_message},
 * {@code approval_response_message}, {@code system_message}, {@code stop_reason}, {@code error_message},
 * {@code ping}, {@code response_state} and unknown types. Nothing happens while the buffers are interrupted.
 */
final class Accumulator {

    private Accumulator() {}

    static void onChunk(Buffers b, JsonNode chunk) {
        if (b.interrupted) {
            return;
        }
        JsonNode type = chunk.get("message_type");
        switch (type != null && type.isTextual() ? type.textValue() : "") {
            case "reasoning_message" -> TextChunks.onText(b, chunk, TextKind.REASONING);
            case "assistant_message" -> TextChunks.onText(b, chunk, TextKind.ASSISTANT);
            case "user_message" -> EventChunks.onUserMessage(b, chunk);
            case "tool_call_message" -> ToolChunks.onToolCall(b, chunk, false);
            case "approval_request_message" -> ToolChunks.onToolCall(b, chunk, true);
            case "tool_return_message" -> ToolChunks.onToolReturn(b, chunk);
            case "usage_statistics" -> b.usage.add(chunk);
            case "summary_message" -> EventChunks.onSummary(b, chunk);
            case "event_message" -> EventChunks.onEvent(b, chunk);
            default -> {
                // ignored: pings, stop reasons, errors, hidden reasoning, unknown types
            }
        }
    }
}
