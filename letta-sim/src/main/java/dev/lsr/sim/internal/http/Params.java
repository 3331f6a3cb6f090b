package dev.lsr.sim.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Typed reads of JSON body fields and query values, with FastAPI-like 422s on bad types. */
final class Params {

    private Params() {}

    static boolean bool(ObjectNode body, String field, boolean fallback) {
        JsonNode node = body == null ? null : body.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw HttpProblem.unprocessable("Field '" + field + "' must be a boolean.");
        }
        return node.booleanValue();
    }

    static long integer(ObjectNode body, String field, long fallback) {
        JsonNode node = body == null ? null : body.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber()) {
            throw HttpProblem.unprocessable("Field '" + field + "' must be an integer.");
        }
        return node.longValue();
    }

    static String text(ObjectNode body, String field) {
        JsonNode node = body == null ? null : body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw HttpProblem.unprocessable("Field '" + field + "' must be a string.");
        }
        return node.textValue();
    }

    static Boolean queryBool(String value, String name) {
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw HttpProblem.unprocessable("Query parameter '" + name + "' must be a boolean.");
        };
    }

    static int queryInt(String value, String name, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw HttpProblem.unprocessable(
                        "Query parameter '" + name + "' must be between " + min + " and " + max + ".");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw HttpProblem.unprocessable("Query parameter '" + name + "' must be an integer.");
        }
    }
}
