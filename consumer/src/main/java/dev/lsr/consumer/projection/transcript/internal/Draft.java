package dev.lsr.consumer.projection.transcript.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.consumer.projection.internal.Content;
import dev.lsr.consumer.projection.internal.Js;
import dev.lsr.consumer.projection.transcript.MessageOrigin;
import dev.lsr.consumer.projection.transcript.TranscriptMessage;
import java.util.Map;
import java.util.function.Function;

/** A transcript message being assembled from one or more chunks. */
sealed interface Draft permits Draft.Block, Draft.Call, Draft.Fixed {

    TranscriptMessage build(Map<String, String> toolNames);

    /** A message complete at its first chunk. */
    record Fixed(MessageOrigin origin, Function<MessageOrigin, TranscriptMessage> factory) implements Draft {
        @Override
        public TranscriptMessage build(Map<String, String> toolNames) {
            return factory.apply(origin);
        }
    }

    /** Reasoning, hidden reasoning or assistant text of one block. */
    final class Block implements Draft {
        private final String type;
        private MessageOrigin origin;
        private final StringBuilder text = new StringBuilder();
        private boolean anyText;
        private String source;
        private String state;

        Block(String type, MessageOrigin origin) {
            this.type = type;
            this.origin = origin;
        }

        void reached(String position) {
            origin = origin.through(position);
        }

        void append(JsonNode chunk) {
            String delta = switch (type) {
                case "reasoning_message" -> Js.string(chunk, "reasoning");
                case "hidden_reasoning_message" -> Js.string(chunk, "hidden_reasoning");
                default -> Content.text(chunk.get("content"));
            };
            if (delta != null) {
                text.append(delta);
                anyText = true;
            }
            if (source == null) {
                source = Js.string(chunk, "source");
            }
            if (state == null) {
                state = Js.string(chunk, "state");
            }
        }

        @Override
        public TranscriptMessage build(Map<String, String> toolNames) {
            return switch (type) {
                case "reasoning_message" -> new TranscriptMessage.Reasoning(origin, text.toString(), source);
                case "hidden_reasoning_message" ->
                    new TranscriptMessage.HiddenReasoning(origin, state, anyText ? text.toString() : null);
                default -> new TranscriptMessage.AssistantText(origin, text.toString());
            };
        }
    }

    /** One tool call across its deltas. */
    final class Call implements Draft {
        private final String toolCallId;
        private MessageOrigin origin;
        private String name;
        private final StringBuilder arguments = new StringBuilder();
        private boolean approvalRequested;

        Call(String toolCallId, MessageOrigin origin) {
            this.toolCallId = toolCallId;
            this.origin = origin;
        }

        void reached(String position) {
            origin = origin.through(position);
        }

        void append(JsonNode call, boolean approval) {
            String callName = Js.truthyString(call, "name");
            if (name == null && callName != null) {
                name = callName;
            }
            String args = Js.string(call, "arguments");
            if (args != null) {
                arguments.append(args);
            }
            approvalRequested |= approval;
        }

        String name() {
            return name;
        }

        @Override
        public TranscriptMessage build(Map<String, String> toolNames) {
            return new TranscriptMessage.ToolCall(origin, toolCallId, name, arguments.toString(), approvalRequested);
        }
    }
}
