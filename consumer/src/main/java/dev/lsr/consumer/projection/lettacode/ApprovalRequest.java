package dev.lsr.consumer.projection.lettacode;

/**
 * A tool call waiting for the client's approval, as a drain reports it: name and accumulated argument
 * text per {@code tool_call_id}, and the id of the approval message it arrived on (null if none).
 */
public record ApprovalRequest(String toolCallId, String toolName, String toolArgs, String messageId) {}
