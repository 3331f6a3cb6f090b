package dev.lsr.consumer.projection.lettacode.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.consumer.projection.internal.Js;

/**
 * The message of the {@code APIError} the Letta SDK throws for an {@code event: error} frame (its
 * {@code makeMessage} without an HTTP status): the payload's {@code message}, else the payload as JSON.
 * Letta Code reports it as {@code fallbackError}.
 */
final class ApiErrorText {

    private ApiErrorText() {}

    static String of(JsonNode payload) {
        JsonNode message = payload.get("message");
        if (Js.truthy(message)) {
            return message.isTextual() ? message.textValue() : Js.stringify(message);
        }
        return Js.stringify(payload);
    }
}
