package dev.lsr.consumer.projection.transcript;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One message of a run's transcript, complete (deltas joined, every call of a parallel set, every
 * return). The JSON carries a {@code type} discriminator.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TranscriptMessage.Reasoning.class, name = "reasoning"),
    @JsonSubTypes.Type(value = TranscriptMessage.HiddenReasoning.class, name = "hidden_reasoning"),
    @JsonSubTypes.Type(value = TranscriptMessage.AssistantText.class, name = "assistant"),
    @JsonSubTypes.Type(value = TranscriptMessage.ToolCall.class, name = "tool_call"),
    @JsonSubTypes.Type(value = TranscriptMessage.ToolReturn.class, name = "tool_return"),
    @JsonSubTypes.Type(value = TranscriptMessage.Event.class, name = "event"),
    @JsonSubTypes.Type(value = TranscriptMessage.Summary.class, name = "summary"),
    @JsonSubTypes.Type(value = TranscriptMessage.UserMessage.class, name = "user"),
    @JsonSubTypes.Type(value = TranscriptMessage.Error.class, name = "error"),
    @JsonSubTypes.Type(value = TranscriptMessage.Gap.class, name = "gap"),
    @JsonSubTypes.Type(value = TranscriptMessage.Other.class, name = "other")
})
public sealed interface TranscriptMessage {

    MessageOrigin origin();

    /** Reasoning text of one block; {@code source} is {@code reasoner_model} or {@code non_reasoner_model}. */
    record Reasoning(MessageOrigin origin, String text, String source) implements TranscriptMessage {}

    /** Redacted or omitted reasoning; {@code data} is the opaque payload (null when omitted). */
    record HiddenReasoning(MessageOrigin origin, String state, String data) implements TranscriptMessage {}

    record AssistantText(MessageOrigin origin, String text) implements TranscriptMessage {}

    /** A tool call with its full argument text; {@code approval_requested} for client-approved tools. */
    record ToolCall(
            MessageOrigin origin,
            @JsonProperty("tool_call_id") String toolCallId,
            String name,
            String arguments,
            @JsonProperty("approval_requested") boolean approvalRequested)
            implements TranscriptMessage {}

    /** One return of a (possibly parallel) tool execution. */
    record ToolReturn(
            MessageOrigin origin,
            @JsonProperty("tool_call_id") String toolCallId,
            @JsonProperty("tool_name") String toolName,
            String status,
            String text,
            List<String> stdout,
            List<String> stderr)
            implements TranscriptMessage {}

    /** A server event (compaction start, provider retry, ...). */
    record Event(
            MessageOrigin origin,
            @JsonProperty("event_type") String eventType,
            @JsonProperty("event_data") JsonNode eventData)
            implements TranscriptMessage {}

    /** A compaction summary with its {@code compaction_stats}. */
    record Summary(MessageOrigin origin, String summary, JsonNode stats) implements TranscriptMessage {}

    /** A user message on the stream (legacy compaction summaries, cloud echoes). */
    record UserMessage(MessageOrigin origin, String text) implements TranscriptMessage {}

    /** An error: an error chunk, or a chunk the recorder rejected. */
    record Error(
            MessageOrigin origin,
            @JsonProperty("error_type") String errorType,
            String message,
            String detail) implements TranscriptMessage {}

    /**
     * Where the recorder recorded a gap ({@code run.gap}), in its place among the messages: the seqs
     * {@code from .. to} ({@code to} null: to the end of the run), {@code cause} as in {@link Transcript.Gap}.
     */
    record Gap(MessageOrigin origin, long from, Long to, String cause) implements TranscriptMessage {}

    /** Any other chunk type, kept verbatim. */
    record Other(
            MessageOrigin origin,
            @JsonProperty("message_type") String messageType,
            JsonNode chunk) implements TranscriptMessage {}
}
