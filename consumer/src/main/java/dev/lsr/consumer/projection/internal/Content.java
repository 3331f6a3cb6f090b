package dev.lsr.consumer.projection.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** How chunk payloads carry text, and which chunk types are model output. */
public final class Content {

    /** The message types a model step produces (the "content" whose first arrival is time to first content). */
    private static final Set<String> MODEL_OUTPUT = Set.of(
            "reasoning_message",
            "hidden_reasoning_message",
            "assistant_message",
            "tool_call_message",
            "approval_request_message");

    private Content() {}

    /** Letta Code's {@code extractTextPart}: a string as is, the {@code text} of each part of an array, an object's text. */
    public static String text(JsonNode content) {
        if (content == null) {
            return "";
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (Js.isRecord(part)) {
                    String partText = Js.string(part, "text");
                    text.append(partText != null ? partText : "");
                }
            }
            return text.toString();
        }
        if (Js.isRecord(content)) {
            String text = Js.string(content, "text");
            if (text != null) {
                return text;
            }
            String delta = Js.string(content, "delta");
            return delta != null ? delta : "";
        }
        return "";
    }

    public static boolean isModelOutput(String messageType) {
        return messageType != null && MODEL_OUTPUT.contains(messageType);
    }
}
