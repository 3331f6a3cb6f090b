package dev.lsr.replay.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.time.Duration;

/**
 * The body of {@code POST /v1/runs/{run_id}/stream} (Letta's RetrieveStreamRequest, protocol §1.3):
 * {@code starting_after} (exclusive, default 0), {@code include_pings} (default true),
 * {@code poll_interval} (seconds, default 0.1), {@code batch_size} (default 100). Unknown fields are
 * ignored, as pydantic does; a body that is not a JSON object, or a field of the wrong type, is a 422.
 */
record StreamRequest(long startingAfter, boolean includePings, Duration pollInterval, int batchSize) {

    static final StreamRequest DEFAULT = new StreamRequest(0, true, Duration.ofMillis(100), 100);

    /** The body is one JSON value: anything but whitespace after it makes it invalid JSON, as for Letta. */
    private static final ObjectReader WHOLE_BODY =
            Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static StreamRequest parse(byte[] body) {
        if (body.length == 0 || isBlank(body)) {
            return DEFAULT; // Letta's runs route needs a body; we are lenient: no body means the defaults
        }
        JsonNode tree;
        try {
            tree = WHOLE_BODY.readTree(body);
        } catch (IOException e) {
            throw HttpProblem.invalid("body", null, "json_invalid", "JSON decode error", null);
        }
        if (tree == null || !tree.isObject()) {
            throw HttpProblem.invalid(
                    "body", null, "model_attributes_type", "Input should be a valid dictionary", tree);
        }
        long startingAfter = integer(tree, "starting_after", 0);
        if (startingAfter < 0) {
            throw HttpProblem.invalid(
                    "body",
                    "starting_after",
                    "greater_than_equal",
                    "Input should be greater than or equal to 0",
                    tree.get("starting_after"));
        }
        int batchSize = (int) integer(tree, "batch_size", 100);
        if (batchSize < 1) {
            throw HttpProblem.invalid(
                    "body",
                    "batch_size",
                    "greater_than_equal",
                    "Input should be greater than or equal to 1",
                    tree.get("batch_size"));
        }
        boolean includePings = bool(tree, "include_pings", true);
        Duration poll = seconds(tree, "poll_interval", DEFAULT.pollInterval);
        return new StreamRequest(startingAfter, includePings, poll, batchSize);
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static long integer(JsonNode tree, String name, long fallback) {
        JsonNode value = tree.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.asLong();
        }
        throw HttpProblem.invalid("body", name, "int_type", "Input should be a valid integer", value);
    }

    private static boolean bool(JsonNode tree, String name, boolean fallback) {
        JsonNode value = tree.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        throw HttpProblem.invalid("body", name, "bool_type", "Input should be a valid boolean", value);
    }

    private static Duration seconds(JsonNode tree, String name, Duration fallback) {
        JsonNode value = tree.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (value.isNumber() && value.asDouble() >= 0 && value.asDouble() <= 3600) {
            return Duration.ofNanos((long) (value.asDouble() * 1_000_000_000L));
        }
        throw HttpProblem.invalid("body", name, "float_type", "Input should be a valid number", value);
    }
}
