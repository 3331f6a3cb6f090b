package dev.lsr.consumer.projection.lettacode.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.lsr.chunklog.Json;
import dev.lsr.consumer.projection.internal.Js;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Letta Code's {@code extractCompactionSummary}: a user message whose text is the JSON of a
 * {@code system_alert} is a legacy compaction summary; the summary is the part after the server's header.
 */
final class CompactionSummary {

    private static final ObjectReader STRICT =
            Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern HEADER = Pattern.compile(
            "The following is an? (?:in-context recursive )?summary(?: of the (?:previous|prior) messages)?:"
                    + "[\\s\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF]*([\\s\\S]*)");

    private CompactionSummary() {}

    /** The summary text, or null when the text is not a system alert. */
    static String extract(String text) {
        JsonNode parsed;
        try {
            parsed = STRICT.readTree(text);
        } catch (IOException e) {
            return null;
        }
        if (parsed == null
                || !"system_alert".equals(Js.string(parsed, "type"))
                || Js.string(parsed, "message") == null) {
            return null;
        }
        String message = Js.string(parsed, "message");
        Matcher matcher = HEADER.matcher(message);
        if (matcher.find() && !matcher.group(1).isEmpty()) {
            return Js.trim(matcher.group(1));
        }
        return message;
    }
}
