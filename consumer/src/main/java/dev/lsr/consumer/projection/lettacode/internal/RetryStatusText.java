package dev.lsr.consumer.projection.lettacode.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.consumer.projection.internal.Js;
import java.util.ArrayList;
import java.util.List;

/** The status text Letta Code shows for a provider {@code retry} event ({@code formatRetryEventStatusLines}). */
final class RetryStatusText {

    private RetryStatusText() {}

    static List<String> lines(JsonNode eventData) {
        JsonNode attempt = eventData.get("attempt");
        JsonNode maxAttempts = eventData.get("max_attempts");
        JsonNode delayMs = eventData.get("delay_ms");
        String message = Js.string(eventData, "message");
        message = message != null && !Js.trim(message).isEmpty() ? Js.trim(message) : null;

        List<String> metadata = new ArrayList<>();
        if (Js.finiteNumber(attempt)) {
            metadata.add(
                    Js.finiteNumber(maxAttempts)
                            ? "attempt " + Js.numberToString(attempt) + "/" + Js.numberToString(maxAttempts)
                            : "attempt " + Js.numberToString(attempt));
        }
        if (Js.finiteNumber(delayMs)) {
            metadata.add("in " + formatDelay(delayMs.doubleValue()));
        }
        String text = "Provider stream error, retrying"
                + (metadata.isEmpty() ? "" : " (" + String.join(", ", metadata) + ")")
                + (message != null ? ": " + message : "");
        return List.of(text);
    }

    private static String formatDelay(double delayMs) {
        if (delayMs < 1000) {
            return Js.numberToString(Math.max(0, (double) Math.round(delayMs))) + "ms";
        }
        return Js.numberToString((double) Math.round(delayMs / 1000)) + "s";
    }
}
